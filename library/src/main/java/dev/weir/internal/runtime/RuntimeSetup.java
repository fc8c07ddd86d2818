package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.ErrorHandling;
import dev.weir.internal.task.StaleStateGuard;
import dev.weir.internal.task.TaskId;
import dev.weir.store.RestoreListener;
import dev.weir.store.StateBackend;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Everything a stream thread needs that is fixed for the life of an application instance: the plan,
 * task counts, error handling, the client configurations Weir's guarantees depend on, and the clock
 * every part of the runtime reads.
 *
 * <p>The task counts and the stale-state guard come from the topic set-up, which may still run when
 * a stream thread starts (design record 031): {@code topics} waits for it. A thread calls {@link
 * #awaitTopics()} before it joins the group, so everything after the join finds them ready.
 */
record RuntimeSetup(
    Settings config,
    Plan plan,
    Supplier<TopicSetUp.Result> topics,
    ErrorHandling errors,
    KafkaClients clients,
    String instanceId,
    StateBackend stateBackend,
    Set<TaskId> localStateTasks,
    Executor restoreWriters,
    RuntimeClock clock,
    RestoreListener userRestoreListener,
    InstanceReplicas replicas) {

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
    return topics.get().taskCounts().get(subTopology);
  }

  /** The stale-state guard the topic set-up built from the changelogs' configuration. */
  StaleStateGuard staleStateGuard() {
    return topics.get().staleStateGuard();
  }

  /**
   * Waits for the topic set-up.
   *
   * @return true when it succeeded; false when it failed, which {@code ApplicationRuntime.start()}
   *     reports (a thread then stops without joining the group)
   */
  boolean awaitTopics() {
    try {
      topics.get();
      return true;
    } catch (RuntimeException | Error e) {
      return false;
    }
  }

  Map<String, Object> consumerConfig(int thread) {
    return clientConfigs().consumer(thread);
  }

  Map<String, Object> producerConfig(int thread) {
    return clientConfigs().producer(thread);
  }

  /** A consumer for changelog restores: no group, read_committed, never commits. */
  Map<String, Object> restoreConsumerConfig(int thread) {
    return clientConfigs().restoreConsumer(thread);
  }

  /**
   * The consumer of a thread's standby replicas: the restore consumer's settings, its own client
   * id.
   */
  Map<String, Object> standbyConsumerConfig(int thread) {
    Map<String, Object> c = restoreConsumerConfig(thread);
    c.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        c.get(ConsumerConfig.CLIENT_ID_CONFIG)
            .toString()
            .replace("restore-consumer", "standby-consumer"));
    return c;
  }

  /** The settings of the lag-aware placement of replicas. */
  ReplicaPlacement.Settings placement() {
    return new ReplicaPlacement.Settings(
        config.getInt(ConfigKeys.NUM_STANDBY_REPLICAS_CONFIG),
        config.getLong(ConfigKeys.ACCEPTABLE_RECOVERY_LAG_CONFIG),
        config.getInt(ConfigKeys.MAX_WARMUP_REPLICAS_CONFIG));
  }

  long probingRebalanceIntervalMs() {
    return config.getLong(ConfigKeys.PROBING_REBALANCE_INTERVAL_MS_CONFIG);
  }

  private ClientConfigs clientConfigs() {
    return new ClientConfigs(config, instanceId);
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

  /** {@code watermark.alignment.max.drift.ms}; 0 or less: fetch alignment is off. */
  long alignmentMaxDriftMs() {
    return config.getLong(ConfigKeys.WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG);
  }

  long watermarkIntervalMs() {
    return config.getLong(ConfigKeys.WATERMARK_INTERVAL_MS_CONFIG);
  }

  /** Whether bulk restores read their changelogs with raw fetch requests (design record 030). */
  boolean restoreRawFetch() {
    return config.getBoolean(ConfigKeys.STATE_RESTORE_RAW_FETCH_CONFIG);
  }

  long restoreBulkLoadRecords() {
    return config.getLong(ConfigKeys.STATE_RESTORE_BULK_LOAD_RECORDS_CONFIG);
  }

  long stateCacheMaxBytes() {
    return config.getLong(ConfigKeys.STATE_CACHE_MAX_BYTES_CONFIG);
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
    return clientConfigs().admin();
  }
}
