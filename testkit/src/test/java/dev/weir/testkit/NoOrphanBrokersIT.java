package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that owns a cluster dies by SIGKILL, so neither {@code close()} nor a shutdown hook runs:
 * the brokers must notice on their own, exit, and remove their data.
 */
class NoOrphanBrokersIT {

  @TempDir Path work;
  private final List<Long> brokers = new ArrayList<>();
  private JavaProcess holder;

  @AfterEach
  void killLeftovers() {
    if (holder != null) {
      holder.kill();
    }
    ChildLogs.killIfAlive(brokers);
  }

  @Test
  void brokersExitWhenTheJvmThatStartedThemIsKilled() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    holder =
        JavaProcess.builder(ClusterHolderMain.class)
            .args("1", "target/weir-kafka-logs", data.toString())
            .name("cluster-holder")
            .start();
    brokers.addAll(
        ChildLogs.pids(ChildLogs.awaitValue(holder, "broker-pids=", Duration.ofSeconds(120))));
    assertThat(brokers).hasSize(1).allMatch(ChildLogs::alive);
    assertThat(children(data)).isNotEmpty();

    holder.kill();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(brokers).noneMatch(ChildLogs::alive));
    await().atMost(Duration.ofSeconds(5)).until(() -> children(data).isEmpty());
  }

  private static List<Path> children(Path directory) throws Exception {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }
}
