package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kind switch of {@link KafkaClusters}, without starting any cluster. */
class KafkaClustersTest {

  @AfterEach
  void clearSwitch() {
    System.clearProperty(KafkaClusters.CLUSTER_PROPERTY);
  }

  @Test
  void anUnknownKindIsRejectedWithTheKnownOnes() {
    System.setProperty(KafkaClusters.CLUSTER_PROPERTY, "zookeeper");

    assertThatThrownBy(() -> KafkaClusters.create(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zookeeper")
        .hasMessageContaining("embedded")
        .hasMessageContaining("testcontainers");
  }

  @Test
  void testcontainersOffersOneBrokerOnly() {
    System.setProperty(KafkaClusters.CLUSTER_PROPERTY, "testcontainers");

    assertThatThrownBy(() -> KafkaClusters.create(3))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("exactly one broker");
  }

  @Test
  void theEmbeddedKindChecksTheBrokerCountBeforeStartingAnything() {
    assertThatThrownBy(() -> KafkaClusters.create(4)).isInstanceOf(IllegalArgumentException.class);
  }
}
