package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.ErrorHandling;
import dev.weir.internal.task.StaleStateGuard;
import dev.weir.internal.task.TaskId;
import dev.weir.store.StateBackend;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * Everything a stream thread needs that is fixed for the life of an application instance: the plan,
 * task counts, error handling, the client configurations Weir's guarantees depend on, and the clock
 * every part of the runtime reads.
 */
record RuntimeSetup(
    Settings config,
    Plan plan,
    Map<Integer, Integer> taskCounts,
    ErrorHandling errors,
    KafkaClients clients,
    String instanceId,
    StateBackend stateBackend,
    Set<TaskId> localStateTasks,
    Executor restoreWriters,
    StaleStateGuard staleStateGuard,
    RuntimeClock clock) {

  /** Client settings Weir sets itself; a user value for one of them is a configuration error. */
  static final Set<String> OWNED_CONSUMER_KEYS =
      Set.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          ConsumerConfig.GROUP_PROTOCOL_CONFIG);

  static final Set<String> OWNED_PRODUCER_KEYS = Set.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG);

  String applicationId() {
    return config.getString(ConfigKeys.APPLICATION_ID_CONFIG);
  }

  boolean exactlyOnce() {
    return config.exactlyOnce();
  }

  long pollMs() {
    return config.getLong(ConfigKeys.POLL_MS_CONFIG);
  }

  long commitIntervalMs() {
    return config.getLong(ConfigKeys.COMMIT_INTERVAL_MS_CONFIG);
  }

  int maxCommitFailures() {
    return config.getInt(ConfigKeys.MAX_COMMIT_FAILURES_CONFIG);
  }

  int taskCount(int subTopology) {
    return taskCounts.get(subTopology);
  }

  Map<String, Object> consumerConfig(int thread) {
    Map<String, Object> c = config.clientProps("consumer.");
    rejectOwned(c, OWNED_CONSUMER_KEYS, "consumer");
    c.put(ConsumerConfig.GROUP_ID_CONFIG, applicationId());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, TaskAssignor.class.getName());
    c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    c.putIfAbsent(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        exactlyOnce() ? "read_committed" : "read_uncommitted");
    if (exactlyOnce() && !"read_committed".equals(c.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))) {
      throw new ConfigException(
          "processing.guarantee=exactly_once needs isolation.level=read_committed; remove the"
              + " override");
    }
    c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId(thread, "consumer"));
    return c;
  }

  Map<String, Object> producerConfig(int thread) {
    Map<String, Object> p = config.clientProps("producer.");
    rejectOwned(p, OWNED_PRODUCER_KEYS, "producer");
    if (exactlyOnce()) {
      p.put(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          applicationId() + "-" + instanceId + "-" + thread);
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    }
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId(thread, "producer"));
    return p;
  }

  /** A consumer for changelog restores: no group, read_committed, never commits. */
  Map<String, Object> restoreConsumerConfig(int thread) {
    Map<String, Object> c = config.clientProps("consumer.");
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    // A restore reads all changelog partitions of a thread's new tasks at once; moderate chunks
    // per partition keep a fetch in flight while the records of the last one are applied.
    c.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 << 20);
    // A tail holding only a transaction marker returns no records; do not wait for more.
    c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(thread, "restore-consumer"));
    return c;
  }

  /**
   * The consumer of one task's broadcast inputs (design record 009): no group, read committed,
   * positions set by the task from its own state.
   */
  Map<String, Object> broadcastConsumerConfig(String thread, TaskId task) {
    Map<String, Object> c = restoreConsumerConfig(0);
    c.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        applicationId() + "-" + instanceId + "-" + thread + "-broadcast-" + task);
    return c;
  }

  long repartitionPurgeIntervalMs() {
    return config.getLong(ConfigKeys.REPARTITION_PURGE_INTERVAL_MS_CONFIG);
  }

  long watermarkStallWarnMs() {
    return config.getLong(ConfigKeys.WATERMARK_STALL_WARN_MS_CONFIG);
  }

  long watermarkIntervalMs() {
    return config.getLong(ConfigKeys.WATERMARK_INTERVAL_MS_CONFIG);
  }

  long maxUncommittedStateBytes() {
    return config.getLong(ConfigKeys.STATE_MAX_UNCOMMITTED_BYTES_CONFIG);
  }

  int ttlCleanupBatch() {
    return config.getInt(ConfigKeys.STATE_TTL_CLEANUP_BATCH_CONFIG);
  }

  /**
   * How long a task waits for a previous owner's transaction on its changelogs to end before it
   * restores: the transaction timeout, plus time for the coordinator to abort it.
   */
  Duration openTransactionWait() {
    return Duration.ofMillis(transactionTimeoutMs()).plusSeconds(60);
  }

  /** The producers' {@code transaction.timeout.ms} (Kafka's default when not transactional). */
  long transactionTimeoutMs() {
    Object timeout =
        producerConfig(0).getOrDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    return Long.parseLong(timeout.toString());
  }

  Map<String, Object> adminConfig() {
    Map<String, Object> a = config.clientProps("admin.");
    a.putIfAbsent("client.id", applicationId() + "-" + instanceId + "-admin");
    return a;
  }

  private String clientId(int thread, String kind) {
    return applicationId() + "-" + instanceId + "-" + thread + "-" + kind;
  }

  private static void rejectOwned(Map<String, Object> c, Set<String> owned, String client) {
    for (String k : owned) {
      if (c.containsKey(k)) {
        throw new ConfigException(
            k
                + " is set by Weir for its "
                + client
                + " (its guarantees depend on it); remove it"
                + " from the configuration");
      }
    }
  }
}
