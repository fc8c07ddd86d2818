package dev.weir.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

  private static final Path DATA = Path.of("/tmp/weir-test/n0/data");
  private static final NodeAddress A = new NodeAddress(0, 9092, 9093);
  private static final NodeAddress B = new NodeAddress(1, 9094, 9095);
  private static final NodeAddress C = new NodeAddress(2, 9096, 9097);

  @Test
  void aSingleNodeIsBrokerAndControllerWithReplicationOne() {
    Map<String, String> p = BrokerProperties.forNode(A, List.of(A), DATA, Map.of());

    assertThat(p)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "0")
        .containsEntry("controller.quorum.voters", "0@127.0.0.1:9093")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
        .containsEntry("controller.listener.names", "CONTROLLER")
        .containsEntry("log.dirs", DATA.toAbsolutePath().toString())
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("default.replication.factor", "1")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("log.retention.ms", "-1")
        .containsEntry("transaction.max.timeout.ms", "900000");
  }

  @Test
  void threeNodesShareTheVoterSetAndTolerateOneFailure() {
    List<NodeAddress> all = List.of(A, B, C);

    Map<String, String> p = BrokerProperties.forNode(B, all, DATA, Map.of());

    assertThat(p)
        .containsEntry("node.id", "1")
        .containsEntry(
            "controller.quorum.voters", "0@127.0.0.1:9093,1@127.0.0.1:9095,2@127.0.0.1:9097")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9094")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("default.replication.factor", "3");
    assertThat(BrokerProperties.forNode(A, all, DATA, Map.of()).get("controller.quorum.voters"))
        .isEqualTo(p.get("controller.quorum.voters"));
  }

  @Test
  void twoNodesReplicateTwiceButNeedOnlyOneInSync() {
    assertThat(BrokerProperties.replicationFactor(2)).isEqualTo(2);
    assertThat(BrokerProperties.minInSyncReplicas(2)).isEqualTo(1);
  }

  @Test
  void overridesWinAndMayAddKeys() {
    Map<String, String> p =
        BrokerProperties.forNode(
            A, List.of(A), DATA, Map.of("min.insync.replicas", "1", "log.retention.ms", "1000"));

    assertThat(p)
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("log.retention.ms", "1000");
  }

  @Test
  void bootstrapServersNameEveryNode() {
    assertThat(BrokerProperties.bootstrapServers(List.of(A, B, C)))
        .isEqualTo("127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096");
  }

  @Test
  void rejectsANodeOutsideTheCluster() {
    assertThatThrownBy(() -> BrokerProperties.forNode(C, List.of(A, B), DATA, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
