package dev.weir.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class a running {@link KafkaCluster}.
 *
 * <pre>{@code
 * @WeirKafka(brokers = 1)
 * class OrdersIT {
 *   @Test
 *   void countsOrders(KafkaCluster kafka) {
 *     kafka.createTopic("orders", 4);
 *     // ...
 *   }
 * }
 * }</pre>
 *
 * <p>The cluster comes from {@link KafkaClusters#create(int)}, so {@code
 * -Dweir.testkit.cluster=testcontainers} switches its kind. It reaches the test through
 *
 * <ul>
 *   <li>parameters of type {@link KafkaCluster} (or a subtype the cluster is an instance of, such
 *       as {@link EmbeddedKafkaCluster}) of the constructor, lifecycle methods ({@code @BeforeAll}
 *       included) and test methods;
 *   <li>non-final static and instance fields of such a type that are still null when the class is
 *       set up or an instance is created.
 * </ul>
 *
 * <p>By default one cluster serves all tests of the annotated class (and its {@code @Nested}
 * classes) and is closed after them. With {@link #shared()} the cluster is shared by every class of
 * the test run (JVM) that asks for the same broker count, and closed when the run ends; prefer it
 * for tests that do not kill, stop or restart brokers and use their own topic names.
 *
 * <p>Tests that damage the cluster (kill brokers, fill disks) should not use {@code shared = true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WeirKafkaExtension.class)
public @interface WeirKafka {

  /**
   * The number of brokers.
   *
   * @return 1 to 3; default 1
   */
  int brokers() default 1;

  /**
   * Whether to share one cluster per broker count across all test classes of the run.
   *
   * @return true to share across classes; default false (one cluster per class)
   */
  boolean shared() default false;
}
