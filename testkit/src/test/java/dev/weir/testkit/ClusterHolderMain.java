package dev.weir.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A child JVM that starts an {@link EmbeddedKafkaCluster}, prints the brokers' pids and waits, so
 * that {@code NoOrphanBrokersIT} can kill it with SIGKILL and check that the brokers follow.
 */
public final class ClusterHolderMain {

  private ClusterHolderMain() {}

  /**
   * Starts the cluster and waits forever.
   *
   * @param args broker count, log directory, data directory
   * @throws InterruptedException never in practice
   */
  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    EmbeddedKafkaCluster cluster =
        EmbeddedKafkaCluster.builder()
            .brokers(Integer.parseInt(args[0]))
            .logDirectory(Path.of(args[1]))
            .dataDirectory(Path.of(args[2]))
            .start();
    String pids =
        IntStream.range(0, cluster.brokerCount())
            .mapToObj(i -> Long.toString(cluster.brokerPid(i)))
            .collect(Collectors.joining(","));
    System.out.println("broker-pids=" + pids);
    new CountDownLatch(1).await();
  }
}
