package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every way {@link WeirKafka} hands out a cluster, and how long the cluster lives. */
@WeirKafka(shared = true)
class WeirKafkaExtensionIT {

  private static KafkaCluster staticField;
  private static KafkaCluster fromBeforeAll;
  private static KafkaCluster fromClassScopedNested;

  private final KafkaCluster fromConstructor;
  private KafkaCluster instanceField;

  WeirKafkaExtensionIT(KafkaCluster kafka) {
    this.fromConstructor = kafka;
  }

  @BeforeAll
  static void beforeAll(KafkaCluster kafka) {
    fromBeforeAll = kafka;
  }

  @AfterAll
  static void theClassScopedClusterWasClosedAfterItsClass() {
    assertThat(fromClassScopedNested).isNotNull();
    assertThatThrownBy(() -> fromClassScopedNested.createTopic("too-late", 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void constructorBeforeAllFieldsAndParametersGetTheSameReadyCluster(KafkaCluster kafka) {
    assertThat(kafka).isNotNull();
    assertThat(fromConstructor).isSameAs(kafka);
    assertThat(fromBeforeAll).isSameAs(kafka);
    assertThat(staticField).isSameAs(kafka);
    assertThat(instanceField).isSameAs(kafka);
    assertThat(kafka.brokerCount()).isEqualTo(1);
    assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
    assertThat(kafka.startupTime()).isPositive();
    assertThat(kafka.clientProperties())
        .containsEntry("bootstrap.servers", kafka.bootstrapServers());
  }

  @Test
  void aSubtypeParameterGetsTheEmbeddedCluster(EmbeddedKafkaCluster kafka) {
    assertThat(kafka).isSameAs(fromBeforeAll);
    assertThat(kafka.isBrokerRunning(0)).isTrue();
  }

  @Nested
  class WithoutItsOwnAnnotation {
    @Test
    void usesTheEnclosingClassesCluster(KafkaCluster kafka) {
      assertThat(kafka).isSameAs(fromBeforeAll);
    }
  }

  @Nested
  @WeirKafka(shared = true)
  class AlsoShared {
    @Test
    void getsTheRunWideCluster(KafkaCluster kafka) {
      assertThat(kafka).isSameAs(fromBeforeAll);
    }
  }

  @Nested
  @WeirKafka
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class ClassScoped {
    private final KafkaCluster own;

    ClassScoped(KafkaCluster kafka) {
      this.own = kafka;
    }

    @Test
    void getsItsOwnClusterThatIsClosedAfterTheClass(KafkaCluster kafka) {
      assertThat(kafka).isSameAs(own).isNotSameAs(fromBeforeAll);
      fromClassScopedNested = kafka;
      kafka.createTopic("class-scoped", 1);
    }
  }
}
