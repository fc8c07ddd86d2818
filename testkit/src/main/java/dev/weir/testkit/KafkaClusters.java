package dev.weir.testkit;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * Starts the kind of {@link KafkaCluster} this run is configured for. Tests, the demo and the
 * benchmarks go through here, so a whole run can switch cluster kinds with one system property.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaClusters.create(1)) {
 *   kafka.createTopic("events", 4);
 * }
 * }</pre>
 *
 * <p>The system property {@value #CLUSTER_PROPERTY} selects the kind:
 *
 * <ul>
 *   <li>{@code embedded} (the default): an {@link EmbeddedKafkaCluster} of child JVMs, which needs
 *       nothing but the Kafka jars on the classpath;
 *   <li>{@code testcontainers}: one broker in a Docker container via Testcontainers' Kafka module
 *       (image {@value #TESTCONTAINERS_IMAGE_DEFAULT}, or the system property {@value
 *       #TESTCONTAINERS_IMAGE_PROPERTY}). It needs a Docker engine and {@code
 *       org.testcontainers:kafka} on the classpath, supports a single broker, and throws {@link
 *       UnsupportedOperationException} from stop, kill and restart. It is loaded reflectively, so
 *       no Testcontainers class is touched unless selected. The Weir build machines have no Docker,
 *       so this kind compiles but is not exercised by Weir's own tests.
 * </ul>
 *
 * <p><b>Threading:</b> stateless; call from any thread.
 */
public final class KafkaClusters {

  /** System property selecting the cluster kind: {@code embedded} or {@code testcontainers}. */
  public static final String CLUSTER_PROPERTY = "weir.testkit.cluster";

  /** System property naming the Docker image for the {@code testcontainers} kind. */
  public static final String TESTCONTAINERS_IMAGE_PROPERTY = "weir.testkit.testcontainers.image";

  /** The Docker image used by the {@code testcontainers} kind unless configured otherwise. */
  public static final String TESTCONTAINERS_IMAGE_DEFAULT = "apache/kafka:4.3.1";

  private static final String TESTCONTAINERS_CLASS =
      "dev.weir.testkit.internal.TestcontainersKafkaCluster";

  private KafkaClusters() {}

  /**
   * Starts a cluster of the configured kind and waits until it is ready.
   *
   * @param brokers the number of brokers, 1 to 3 (only 1 for {@code testcontainers})
   * @return the ready cluster; the caller must close it
   * @throws IllegalArgumentException when {@code brokers} is out of range or the property names an
   *     unknown kind
   * @throws UnsupportedOperationException when {@code testcontainers} is selected with more than
   *     one broker
   * @throws IllegalStateException when the cluster cannot be started (the message says why)
   */
  public static KafkaCluster create(int brokers) {
    String kind = System.getProperty(CLUSTER_PROPERTY, "embedded").trim().toLowerCase(Locale.ROOT);
    switch (kind) {
      case "embedded":
      case "":
        return EmbeddedKafkaCluster.start(brokers);
      case "testcontainers":
        return startTestcontainers(brokers);
      default:
        throw new IllegalArgumentException(
            "unknown "
                + CLUSTER_PROPERTY
                + "="
                + kind
                + "; use \"embedded\" (default) or \"testcontainers\"");
    }
  }

  private static KafkaCluster startTestcontainers(int brokers) {
    if (brokers != 1) {
      throw new UnsupportedOperationException(
          "the testcontainers cluster has exactly one broker, not "
              + brokers
              + "; run multi-broker tests with the default embedded cluster");
    }
    String image = System.getProperty(TESTCONTAINERS_IMAGE_PROPERTY, TESTCONTAINERS_IMAGE_DEFAULT);
    try {
      Class<?> type = Class.forName(TESTCONTAINERS_CLASS);
      return (KafkaCluster) type.getMethod("start", String.class).invoke(null, image);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new IllegalStateException(
          CLUSTER_PROPERTY + "=testcontainers needs org.testcontainers:kafka on the test classpath",
          e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof NoClassDefFoundError) {
        throw new IllegalStateException(
            CLUSTER_PROPERTY
                + "=testcontainers needs org.testcontainers:kafka on the test classpath",
            cause);
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException("starting a Testcontainers Kafka broker failed", cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start a Testcontainers Kafka broker", e);
    }
  }
}
