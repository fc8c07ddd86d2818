package dev.weir.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;

/** Topic housekeeping on the benchmark broker through one admin client. */
final class Topics implements AutoCloseable {
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);

  private final Admin admin;

  Topics(String bootstrap) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /**
   * Creates topics that keep data forever (the data set's timestamps are hours old) and waits until
   * every partition's leader serves requests. A new partition can be named in metadata before its
   * leader has loaded it; writing then fails with NotLeaderOrFollower and the idempotent producer
   * can end in OutOfOrderSequence (Kafka 4.3.1), so a successful ListOffsets, answered by the
   * leader itself, is the signal.
   */
  void create(int partitions, String... names) throws InterruptedException {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(
          new NewTopic(name, partitions, (short) 1)
              .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
    }
    try {
      admin.createTopics(topics).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Creating topics " + List.of(names) + " failed", e.getCause());
    }
    awaitLeaders(List.of(names));
  }

  private void awaitLeaders(List<String> names) throws InterruptedException {
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Map<TopicPartition, OffsetSpec> all = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
          d.partitions()
              .forEach(
                  p -> all.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        admin.listOffsets(all).all().get();
        return;
      } catch (ExecutionException e) {
        last = e;
        Thread.sleep(50); // polling the broker's readiness, not waiting for a test condition
      }
    }
    throw new IllegalStateException(
        "Partition leaders of " + names + " did not serve within " + LEADER_TIMEOUT, last);
  }

  /** End offsets (read_committed: the last stable offset) of every partition of a topic. */
  Map<TopicPartition, Long> endOffsets(String topic) throws InterruptedException {
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      d.partitions()
          .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, Long> result = new HashMap<>();
      admin
          .listOffsets(
              request,
              new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get()
          .forEach((tp, info) -> result.put(tp, info.offset()));
      return result;
    } catch (ExecutionException e) {
      throw new IllegalStateException("Listing offsets of " + topic + " failed", e.getCause());
    }
  }

  /** Deletes the named topics and every topic whose name starts with {@code prefix}. */
  void deleteQuietly(String prefix, String... names) {
    try {
      List<String> doomed = new ArrayList<>(List.of(names));
      if (prefix != null) {
        for (String t : admin.listTopics().names().get()) {
          if (t.startsWith(prefix) && !doomed.contains(t)) {
            doomed.add(t);
          }
        }
      }
      admin.deleteTopics(doomed).all().get();
    } catch (ExecutionException e) {
      System.err.println("perf: deleting topics failed (ignored): " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Committed offsets of a consumer group, summed over the partitions of {@code topic}. */
  long committed(String groupId, String topic) throws InterruptedException {
    try {
      long sum = 0;
      for (var e :
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get()
              .entrySet()) {
        if (e.getKey().topic().equals(topic) && e.getValue() != null) {
          sum += e.getValue().offset();
        }
      }
      return sum;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Reading offsets of group " + groupId + " failed", e.getCause());
    }
  }

  /**
   * The records of the application's internal repartition topics ({@code <appId>-...-repartition})
   * its group has not consumed yet: per partition, the read-committed end offset minus the
   * committed offset (0 when none), less one for the commit marker a transaction leaves at the end;
   * summed. Committed source offsets alone do not say the run is done: a downstream sub-topology
   * (W6's join, W2's windows) still has to read what the upstream one wrote.
   */
  long internalBacklog(String appId) throws InterruptedException {
    try {
      List<String> internal = new ArrayList<>();
      for (String t : admin.listTopics().names().get()) {
        if (t.startsWith(appId + "-") && t.endsWith("-repartition")) {
          internal.add(t);
        }
      }
      if (internal.isEmpty()) {
        return 0;
      }
      Map<TopicPartition, Long> end = new HashMap<>();
      for (String t : internal) {
        end.putAll(endOffsets(t));
      }
      Map<TopicPartition, Long> committed = new HashMap<>();
      admin
          .listConsumerGroupOffsets(appId)
          .partitionsToOffsetAndMetadata()
          .get()
          .forEach(
              (tp, om) -> {
                if (om != null) {
                  committed.put(tp, om.offset());
                }
              });
      return backlog(end, committed);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Reading the internal topics of " + appId + " failed", e.getCause());
    }
  }

  /**
   * Unconsumed records over {@code end}'s partitions: {@code end - committed - 1} each, at least 0
   * (the last offset may be a transaction marker, which a consumer need not commit past).
   */
  static long backlog(Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed) {
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      sum += Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L) - 1);
    }
    return sum;
  }

  /**
   * Removes every member of a consumer group, as {@code kafka-streams-application-reset --force}
   * does. After a {@code kill -9} the dead member would otherwise stay in the group until its
   * session times out (45 s, the consumer default, for both contenders) and hold up the rebalance
   * of the next start.
   */
  void removeMembers(String groupId) throws InterruptedException {
    try {
      ConsumerGroupDescription group =
          admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get();
      if (!group.members().isEmpty()) {
        admin
            .removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions())
            .all()
            .get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Removing the members of group " + groupId + " failed", e.getCause());
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
