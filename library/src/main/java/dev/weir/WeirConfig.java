package dev.weir;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The configuration of a Weir application. Every setting is a constant here with its documentation
 * next to it; {@code docs/configuration.md} is generated from {@link #configDef()}.
 *
 * <p>Settings not defined here pass through to Weir's Kafka clients: a plain key (for example
 * {@code security.protocol}) goes to the consumer, producer and admin client; a key prefixed {@code
 * consumer.}, {@code producer.}, {@code admin.} or {@code restore.consumer.} goes to that client
 * only and wins; a key prefixed {@code topic.} configures the internal topics Weir creates. Weir
 * owns the client settings its guarantees depend on (group id, isolation level, auto commit,
 * transactional id, assignor, acks) and rejects values that conflict with them when the application
 * is constructed; {@code docs/configuration.md} has the table.
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.put(WeirConfig.APPLICATION_ID_CONFIG, "orders-enricher");
 * props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-1:9092,kafka-2:9092");
 * props.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 2);
 * }</pre>
 */
public final class WeirConfig extends AbstractConfig {
  /** {@code application.id}. */
  public static final String APPLICATION_ID_CONFIG = ConfigKeys.APPLICATION_ID_CONFIG;

  /** Documentation of {@link #APPLICATION_ID_CONFIG}. */
  public static final String APPLICATION_ID_DOC =
      "Identifies the application: the consumer group id, the prefix of internal topics and of"
          + " transactional ids. All instances of one application share it; changing it starts"
          + " the application from scratch.";

  /** {@code bootstrap.servers}. */
  public static final String BOOTSTRAP_SERVERS_CONFIG = ConfigKeys.BOOTSTRAP_SERVERS_CONFIG;

  /** Documentation of {@link #BOOTSTRAP_SERVERS_CONFIG}. */
  public static final String BOOTSTRAP_SERVERS_DOC =
      "Kafka brokers to connect to first, host:port separated by commas.";

  /** {@code num.stream.threads}. */
  public static final String NUM_STREAM_THREADS_CONFIG = ConfigKeys.NUM_STREAM_THREADS_CONFIG;

  /** Documentation of {@link #NUM_STREAM_THREADS_CONFIG}. */
  public static final String NUM_STREAM_THREADS_DOC =
      "Stream threads in this instance. Each owns one consumer, one producer and a share of the"
          + " tasks; more threads than tasks leaves threads idle.";

  /** {@code processing.guarantee}. */
  public static final String PROCESSING_GUARANTEE_CONFIG = ConfigKeys.PROCESSING_GUARANTEE_CONFIG;

  /** Documentation of {@link #PROCESSING_GUARANTEE_CONFIG}. */
  public static final String PROCESSING_GUARANTEE_DOC =
      "exactly_once (default): outputs, state changes and consumed offsets of a commit interval"
          + " are one Kafka transaction. at_least_once: no transactions; offsets are committed"
          + " after outputs are acknowledged, so a crash can repeat output. exactly_once_v2 (Kafka"
          + " Streams' name) is accepted as an alias of exactly_once.";

  /** Value of {@link #PROCESSING_GUARANTEE_CONFIG}: transactions. */
  public static final String EXACTLY_ONCE = ConfigKeys.EXACTLY_ONCE;

  /**
   * Value of {@link #PROCESSING_GUARANTEE_CONFIG}: Kafka Streams' name, an alias of {@link
   * #EXACTLY_ONCE}.
   */
  public static final String EXACTLY_ONCE_V2 = ConfigKeys.EXACTLY_ONCE_V2;

  /** Value of {@link #PROCESSING_GUARANTEE_CONFIG}: no transactions. */
  public static final String AT_LEAST_ONCE = ConfigKeys.AT_LEAST_ONCE;

  /** {@code commit.interval.ms}. */
  public static final String COMMIT_INTERVAL_MS_CONFIG = ConfigKeys.COMMIT_INTERVAL_MS_CONFIG;

  /** Documentation of {@link #COMMIT_INTERVAL_MS_CONFIG}. */
  public static final String COMMIT_INTERVAL_MS_DOC =
      "How often a stream thread commits. Under exactly_once this is how long outputs stay"
          + " invisible to read_committed consumers at most (plus processing time), and it must"
          + " be below the producer's transaction.timeout.ms (10000 by default), which the"
          + " configuration check enforces.";

  /** {@code state.dir}. */
  public static final String STATE_DIR_CONFIG = ConfigKeys.STATE_DIR_CONFIG;

  /** Documentation of {@link #STATE_DIR_CONFIG}. */
  public static final String STATE_DIR_DOC =
      "Directory for local state (RocksDB) and the instance id. Each instance needs its own; keep"
          + " it across restarts so only the changelog tail is restored.";

  /** {@code poll.ms}. */
  public static final String POLL_MS_CONFIG = ConfigKeys.POLL_MS_CONFIG;

  /** Documentation of {@link #POLL_MS_CONFIG}. */
  public static final String POLL_MS_DOC = ConfigKeys.POLL_MS_DOC;

  /** {@code replication.factor}. */
  public static final String REPLICATION_FACTOR_CONFIG = ConfigKeys.REPLICATION_FACTOR_CONFIG;

  /** Documentation of {@link #REPLICATION_FACTOR_CONFIG}. */
  public static final String REPLICATION_FACTOR_DOC =
      "Replication factor of the internal topics Weir creates; -1 uses the broker's default.";

  /** {@code errors.deserialization.handler}. */
  public static final String DESERIALIZATION_HANDLER_CONFIG =
      ConfigKeys.DESERIALIZATION_HANDLER_CONFIG;

  /** Documentation of {@link #DESERIALIZATION_HANDLER_CONFIG}. */
  public static final String DESERIALIZATION_HANDLER_DOC =
      "What to do with an input record that cannot be deserialised: fail (stop the thread,"
          + " default), log_and_skip (log it, count it in a metric, go on), or dead_letter (write"
          + " the original bytes and the error to the dead-letter topic, go on).";

  /** {@code errors.processing.handler}. */
  public static final String PROCESSING_HANDLER_CONFIG = ConfigKeys.PROCESSING_HANDLER_CONFIG;

  /** Documentation of {@link #PROCESSING_HANDLER_CONFIG}. */
  public static final String PROCESSING_HANDLER_DOC =
      "What to do when a user function throws: fail (default), log_and_skip or dead_letter, as"
          + " for errors.deserialization.handler. Outputs the record produced before the failure"
          + " are kept.";

  /** {@code errors.production.handler}. */
  public static final String PRODUCTION_HANDLER_CONFIG = ConfigKeys.PRODUCTION_HANDLER_CONFIG;

  /** Documentation of {@link #PRODUCTION_HANDLER_CONFIG}. */
  public static final String PRODUCTION_HANDLER_DOC =
      "What to do with an output record the producer cannot write (larger than"
          + " producer.max.request.size, or rejected by the broker): fail (stop the thread with an"
          + " error naming the topic, default), log_and_skip (log, count in"
          + " production-errors-skipped, go on), dead_letter (key and error to the dead-letter"
          + " topic), or the name of a class implementing dev.weir.errors.ProductionExceptionHandler."
          + " Records over max.request.size are caught before sending, so under exactly_once"
          + " skipping one keeps the rest of the transaction; a record the broker rejects fails"
          + " the transaction, so under exactly_once it always fails the thread.";

  /** {@code errors.dead.letter.topic}. */
  public static final String DEAD_LETTER_TOPIC_CONFIG = ConfigKeys.DEAD_LETTER_TOPIC_CONFIG;

  /** Documentation of {@link #DEAD_LETTER_TOPIC_CONFIG}. */
  public static final String DEAD_LETTER_TOPIC_DOC =
      "The dead-letter topic; default <application.id>-dlq. Created with one partition at start"
          + " when a handler is dead_letter and the topic is missing.";

  /** Value of an error handler setting: stop. */
  public static final String HANDLER_FAIL = ConfigKeys.HANDLER_FAIL;

  /** Value of an error handler setting: log, count, continue. */
  public static final String HANDLER_LOG_AND_SKIP = ConfigKeys.HANDLER_LOG_AND_SKIP;

  /** Value of an error handler setting: dead-letter topic. */
  public static final String HANDLER_DEAD_LETTER = ConfigKeys.HANDLER_DEAD_LETTER;

  /** {@code thread.failure.policy}. */
  public static final String THREAD_FAILURE_POLICY_CONFIG = ConfigKeys.THREAD_FAILURE_POLICY_CONFIG;

  /** Documentation of {@link #THREAD_FAILURE_POLICY_CONFIG}. */
  public static final String THREAD_FAILURE_POLICY_DOC =
      "What happens when a stream thread dies of an error no handler took: shutdown_instance"
          + " (default; the instance goes to ERROR), replace_thread (start a new thread in its"
          + " place), or shutdown_application (ask every instance of the application to stop)."
          + " An uncaught-exception handler set on the application overrides it per error.";

  /** {@code max.commit.failures}. */
  public static final String MAX_COMMIT_FAILURES_CONFIG = ConfigKeys.MAX_COMMIT_FAILURES_CONFIG;

  /** Documentation of {@link #MAX_COMMIT_FAILURES_CONFIG}. */
  public static final String MAX_COMMIT_FAILURES_DOC =
      "Consecutive failed commits (each rolled back and retried from the last committed point)"
          + " after which a thread gives up and fails.";

  /** {@code state.backend}. */
  public static final String STATE_BACKEND_CONFIG = ConfigKeys.STATE_BACKEND_CONFIG;

  /** Documentation of {@link #STATE_BACKEND_CONFIG}. */
  public static final String STATE_BACKEND_DOC =
      "Where stateful operators keep their state: rocksdb (on disk under state.dir, survives"
          + " restarts, so only the changelog tail is replayed) or in_memory (on the heap; every"
          + " start restores the whole changelog; for tests and small state).";

  /** {@code state.rocksdb.memory.bytes}. */
  public static final String STATE_ROCKSDB_MEMORY_BYTES_CONFIG =
      ConfigKeys.STATE_ROCKSDB_MEMORY_BYTES_CONFIG;

  /** Documentation of {@link #STATE_ROCKSDB_MEMORY_BYTES_CONFIG}. */
  public static final String STATE_ROCKSDB_MEMORY_BYTES_DOC =
      "Native memory all RocksDB stores of this instance share (block cache plus write buffers,"
          + " which take half). Bounded whatever the number of tasks and stores.";

  /** {@code state.rocksdb.commit.wal}. */
  public static final String STATE_ROCKSDB_COMMIT_WAL_CONFIG =
      ConfigKeys.STATE_ROCKSDB_COMMIT_WAL_CONFIG;

  /** Documentation of {@link #STATE_ROCKSDB_COMMIT_WAL_CONFIG}. */
  public static final String STATE_ROCKSDB_COMMIT_WAL_DOC =
      "Whether each commit's state writes go through RocksDB's write-ahead log. true: a task killed"
          + " with kill -9 reopens its state at its last commit and replays only the changelog"
          + " records written after it. false: it reopens at RocksDB's last flush and replays the"
          + " changelog from there (at most about the write buffers' contents, half of"
          + " state.rocksdb.memory.bytes, and a commit flushes when the last flush is 5 minutes"
          + " old), as Kafka Streams does; each commit then costs less CPU"
          + " (in a window function over large windows about a tenth of the processing thread)."
          + " The results are exactly the same either way. See"
          + " docs/design/045-rocksdb-write-ahead-log-on-commits.md.";

  /** {@code state.max.uncommitted.bytes}. */
  public static final String STATE_MAX_UNCOMMITTED_BYTES_CONFIG =
      ConfigKeys.STATE_MAX_UNCOMMITTED_BYTES_CONFIG;

  /** Documentation of {@link #STATE_MAX_UNCOMMITTED_BYTES_CONFIG}. */
  public static final String STATE_MAX_UNCOMMITTED_BYTES_DOC =
      "Heap a stream thread may hold in uncommitted state writes; past it the thread commits early"
          + " instead of waiting for commit.interval.ms.";

  /** {@code state.cache.max.bytes}. */
  public static final String STATE_CACHE_MAX_BYTES_CONFIG = ConfigKeys.STATE_CACHE_MAX_BYTES_CONFIG;

  /** Documentation of {@link #STATE_CACHE_MAX_BYTES_CONFIG}. */
  public static final String STATE_CACHE_MAX_BYTES_DOC =
      "Heap a stream thread may use to cache committed state entries (and keys known to be absent)"
          + " in its tasks' write-back caches, so that reading state recently written or read does"
          + " not reach RocksDB; least recently used entries are evicted past it. Uncommitted"
          + " writes are buffered until the commit whatever this is (see"
          + " state.max.uncommitted.bytes). 0 turns the read cache off. Exactly-once is the same"
          + " either way: the cache holds only what the local store holds (see docs/state.md).";

  /** {@code state.ttl.cleanup.batch}. */
  public static final String STATE_TTL_CLEANUP_BATCH_CONFIG =
      ConfigKeys.STATE_TTL_CLEANUP_BATCH_CONFIG;

  /** Documentation of {@link #STATE_TTL_CLEANUP_BATCH_CONFIG}. */
  public static final String STATE_TTL_CLEANUP_BATCH_DOC =
      "Entries of state with a TTL that each stateful operator of a task checks, and deletes when"
          + " expired, at every commit (background cleanup). 0 turns background cleanup off;"
          + " expired entries are then removed only when read.";

  /** {@code state.restore.threads}. */
  public static final String STATE_RESTORE_THREADS_CONFIG = ConfigKeys.STATE_RESTORE_THREADS_CONFIG;

  /** Documentation of {@link #STATE_RESTORE_THREADS_CONFIG}. */
  public static final String STATE_RESTORE_THREADS_DOC =
      "Threads per application instance that apply restored changelog records to the local state"
          + " stores, while the stream threads fetch and parse the next records; tasks restore in"
          + " parallel up to this number. The threads start with a restore and end after 10 s"
          + " without work. 0 makes each stream thread apply the records itself.";

  /** {@code state.restore.bulk.load.records}. */
  public static final String STATE_RESTORE_BULK_LOAD_RECORDS_CONFIG =
      ConfigKeys.STATE_RESTORE_BULK_LOAD_RECORDS_CONFIG;

  /** Documentation of {@link #STATE_RESTORE_BULK_LOAD_RECORDS_CONFIG}. */
  public static final String STATE_RESTORE_BULK_LOAD_RECORDS_DOC =
      "A task with at least this many changelog records to restore (from its local offsets to the"
          + " end, over all its stores) is restored by writing sorted RocksDB files and ingesting"
          + " them, instead of through batches and memtables: cheaper per record for a restore"
          + " from scratch. Smaller restores (the tail after a restart), standby replicas and the"
          + " in-memory backend write batches. 0 bulk-loads every restore; -1 turns bulk loading"
          + " off. See docs/design/019-sst-ingestion-restore.md.";

  /** {@code state.restore.raw.fetch}. */
  public static final String STATE_RESTORE_RAW_FETCH_CONFIG =
      ConfigKeys.STATE_RESTORE_RAW_FETCH_CONFIG;

  /** Documentation of {@link #STATE_RESTORE_RAW_FETCH_CONFIG}. */
  public static final String STATE_RESTORE_RAW_FETCH_DOC =
      "Whether a restore large enough for bulk loading (state.restore.bulk.load.records) reads its"
          + " changelogs with raw read_committed fetch requests, with the restore consumer's"
          + " connection and security settings, and parses the fetched record batches on the"
          + " restore threads, instead of through the restore consumer, which makes an object per"
          + " record. Aborted transactions are skipped as the consumer skips them. On any"
          + " unexpected condition (an error from the broker, a failed connection, an unsupported"
          + " version) the restore goes on with the restore consumer from where the raw reads"
          + " stopped. It connects to the brokers directly, not through a client supplier, so an"
          + " application created with a KafkaClientSupplier other than"
          + " KafkaClientSupplier.defaults() reads through its restore consumer unless this is"
          + " set to true. See docs/design/030-raw-changelog-fetch.md.";

  /** {@code state.cleanup.delay.ms}. */
  public static final String STATE_CLEANUP_DELAY_MS_CONFIG =
      ConfigKeys.STATE_CLEANUP_DELAY_MS_CONFIG;

  /** Documentation of {@link #STATE_CLEANUP_DELAY_MS_CONFIG}. */
  public static final String STATE_CLEANUP_DELAY_MS_DOC =
      "How long the local state of a task this instance no longer runs stays on disk, counted from"
          + " the task's last use here (as Kafka Streams' setting of the same name). Checked at"
          + " this interval, first this long after start; only task directories of this"
          + " application that no stream thread has open or assigned are deleted.";

  /** {@code num.standby.replicas}. */
  public static final String NUM_STANDBY_REPLICAS_CONFIG = ConfigKeys.NUM_STANDBY_REPLICAS_CONFIG;

  /** Documentation of {@link #NUM_STANDBY_REPLICAS_CONFIG}. */
  public static final String NUM_STANDBY_REPLICAS_DOC =
      "Warm copies of each stateful task's state that other instances keep by reading its"
          + " changelogs (read_committed). Never on the instance that runs the task. When that"
          + " instance fails, the task moves to an instance with a copy and replays only the"
          + " changelog tail the copy had not read. Each copy costs the disk and the changelog"
          + " reads of the state.";

  /** {@code acceptable.recovery.lag}. */
  public static final String ACCEPTABLE_RECOVERY_LAG_CONFIG =
      ConfigKeys.ACCEPTABLE_RECOVERY_LAG_CONFIG;

  /** Documentation of {@link #ACCEPTABLE_RECOVERY_LAG_CONFIG}. */
  public static final String ACCEPTABLE_RECOVERY_LAG_DOC =
      "Changelog records an instance's copy of a task's state may be behind and still count as"
          + " caught up: a stateful task moves to an instance only if it is within this lag;"
          + " otherwise it stays with a caught-up owner and the target gets a warm-up replica.";

  /** {@code max.warmup.replicas}. */
  public static final String MAX_WARMUP_REPLICAS_CONFIG = ConfigKeys.MAX_WARMUP_REPLICAS_CONFIG;

  /** Documentation of {@link #MAX_WARMUP_REPLICAS_CONFIG}. */
  public static final String MAX_WARMUP_REPLICAS_DOC =
      "Warm-up replicas the whole application may run at once (beyond num.standby.replicas)"
          + " while stateful tasks wait to move to instances that are not caught up: bounds the"
          + " extra changelog reads and disk of a scale-out.";

  /** {@code probing.rebalance.interval.ms}. */
  public static final String PROBING_REBALANCE_INTERVAL_MS_CONFIG =
      ConfigKeys.PROBING_REBALANCE_INTERVAL_MS_CONFIG;

  /** Documentation of {@link #PROBING_REBALANCE_INTERVAL_MS_CONFIG}. */
  public static final String PROBING_REBALANCE_INTERVAL_MS_DOC =
      "While tasks wait for warm-up replicas, the group leader triggers a rebalance this often to"
          + " move the tasks whose warm-ups caught up. A thread whose warm-ups all caught up"
          + " triggers one at once.";

  /** {@code watermark.interval.ms}. */
  public static final String WATERMARK_INTERVAL_MS_CONFIG = ConfigKeys.WATERMARK_INTERVAL_MS_CONFIG;

  /** Documentation of {@link #WATERMARK_INTERVAL_MS_CONFIG}. */
  public static final String WATERMARK_INTERVAL_MS_DOC =
      "How often periodic watermark generators run and idleness is checked; a task's new watermark"
          + " fires its event-time timers and is sent to downstream tasks at most this often.";

  /** {@code watermark.stall.warn.ms}. */
  public static final String WATERMARK_STALL_WARN_MS_CONFIG =
      ConfigKeys.WATERMARK_STALL_WARN_MS_CONFIG;

  /** Documentation of {@link #WATERMARK_STALL_WARN_MS_CONFIG}. */
  public static final String WATERMARK_STALL_WARN_MS_DOC =
      "A task whose watermark has not advanced for this long logs a warning naming the input"
          + " partition (or upstream task) holding it back, and repeats it at this interval.";

  /** {@code watermark.alignment.max.drift.ms}. */
  public static final String WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG =
      ConfigKeys.WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG;

  /** Documentation of {@link #WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG}. */
  public static final String WATERMARK_ALIGNMENT_MAX_DRIFT_MS_DOC =
      "Fetch alignment: a stream thread pauses fetching a source partition (one whose strategy"
          + " generates watermarks) while it is more than this far ahead in event time (its largest"
          + " timestamp read) of the slowest partition of its group that still has records to"
          + " read, and resumes it once that one caught up. A group is every source partition of a"
          + " sub-topology that writes a repartition topic, otherwise those of one task. Keeps"
          + " windows and timers short-lived when a backlog is replayed; idle or caught-up"
          + " partitions and tasks still restoring hold nothing back. Only partitions of one"
          + " thread are aligned. 0 or less turns it off. See docs/event-time.md.";

  /** {@code repartition.purge.interval.ms}. */
  public static final String REPARTITION_PURGE_INTERVAL_MS_CONFIG =
      ConfigKeys.REPARTITION_PURGE_INTERVAL_MS_CONFIG;

  /** Documentation of {@link #REPARTITION_PURGE_INTERVAL_MS_CONFIG}. */
  public static final String REPARTITION_PURGE_INTERVAL_MS_DOC =
      "How often a stream thread deletes the records of repartition topics that its tasks have"
          + " consumed and committed (Kafka delete-records), so repartition topics, which never"
          + " expire by time, do not grow without bound.";

  /** {@code status.http.port}. */
  public static final String STATUS_HTTP_PORT_CONFIG = ConfigKeys.STATUS_HTTP_PORT_CONFIG;

  /** Documentation of {@link #STATUS_HTTP_PORT_CONFIG}. */
  public static final String STATUS_HTTP_PORT_DOC =
      "Port of the instance's embedded HTTP status server: /health and /ready for liveness and"
          + " readiness probes, /metrics in the Prometheus text format, /topology and /tasks as"
          + " JSON, and a live status page at /. -1 (the default) turns the server off; 0 picks a"
          + " free port (WeirApplication.statusAddress() tells which). See docs/operations.md.";

  /** {@code status.http.bind.address}. */
  public static final String STATUS_HTTP_BIND_ADDRESS_CONFIG =
      ConfigKeys.STATUS_HTTP_BIND_ADDRESS_CONFIG;

  /** Documentation of {@link #STATUS_HTTP_BIND_ADDRESS_CONFIG}. */
  public static final String STATUS_HTTP_BIND_ADDRESS_DOC =
      "Address the status server listens on. The default, loopback, keeps it private to the"
          + " host; Kubernetes probes and a Prometheus scrape from another pod need 0.0.0.0 (or"
          + " the pod's address). The server has no authentication: it shows the topology,"
          + " watermarks and metrics, never records.";

  /** {@code application.server}. */
  public static final String APPLICATION_SERVER_CONFIG = ConfigKeys.APPLICATION_SERVER_CONFIG;

  /** Documentation of {@link #APPLICATION_SERVER_CONFIG}. */
  public static final String APPLICATION_SERVER_DOC =
      "host:port where this instance answers interactive queries (the address of your own server,"
          + " an HTTP endpoint say; Weir does not listen on it). Sent to the group in the"
          + " assignment metadata, so that any instance can tell which instance hosts a key:"
          + " WeirApplication.queryMetadataForKey. Unset (the default): the instance still"
          + " answers app.query(...) for its own tasks, but no other instance can find it. Give"
          + " each instance its own value. See docs/state.md.";

  /** {@code liveness.listener}. */
  public static final String LIVENESS_LISTENER_CONFIG = ConfigKeys.LIVENESS_LISTENER_CONFIG;

  /** Documentation of {@link #LIVENESS_LISTENER_CONFIG}. */
  public static final String LIVENESS_LISTENER_DOC =
      "host:port where this instance listens for the other instances' liveness watch (Weir"
          + " listens on it; port 0 picks a free one). Set it on every instance, with static"
          + " membership (consumer.group.instance.id), to have a crashed instance removed from"
          + " the group within liveness.timeout.ms instead of the consumers' session timeout: each"
          + " instance watches up to three others over a TCP connection, and when one's"
          + " connection ends and its port refuses new ones for the timeout, its members are"
          + " removed with the admin API so that its tasks move at once. An instance closed on"
          + " purpose tells its watchers first, so a rolling restart still moves no task. The"
          + " host must be an address the other instances reach (not 0.0.0.0). Unset (the"
          + " default): failures are detected by the session timeout. See docs/operations.md.";

  /** {@code liveness.timeout.ms}. */
  public static final String LIVENESS_TIMEOUT_MS_CONFIG = ConfigKeys.LIVENESS_TIMEOUT_MS_CONFIG;

  /** Documentation of {@link #LIVENESS_TIMEOUT_MS_CONFIG}. */
  public static final String LIVENESS_TIMEOUT_MS_DOC =
      "With liveness.listener: how long a watched instance's port must refuse (or not answer)"
          + " connections before it is removed from the group. An instance that is alive but"
          + " paused (a long garbage collection) still accepts connections and is left to the"
          + " session timeout.";

  /** {@code offset.reset.policy}. */
  public static final String OFFSET_RESET_POLICY_CONFIG = ConfigKeys.OFFSET_RESET_POLICY_CONFIG;

  /** Documentation of {@link #OFFSET_RESET_POLICY_CONFIG}. */
  public static final String OFFSET_RESET_POLICY_DOC =
      "Where an input partition resumes when its committed offset is out of range (the records"
          + " there were deleted by retention or delete-records while the application was"
          + " behind or stopped): earliest (default; the oldest record still there), latest (skip"
          + " to the end) or none (the stream thread fails with an error naming the partition)."
          + " Each reset is logged and counted (metric offset-resets). A partition without a"
          + " committed offset starts where its KafkaSource says (startingFrom) instead. Kafka's"
          + " auto.offset.reset is rejected in favour of these two.";

  /** {@code rocksdb.config.setter}. */
  public static final String ROCKSDB_CONFIG_SETTER_CONFIG = ConfigKeys.ROCKSDB_CONFIG_SETTER_CONFIG;

  /** Documentation of {@link #ROCKSDB_CONFIG_SETTER_CONFIG}. */
  public static final String ROCKSDB_CONFIG_SETTER_DOC =
      "A class implementing dev.weir.store.RocksDbOptionsSetter, with a public no-argument"
          + " constructor, that tunes each task's RocksDB options after Weir's defaults (see"
          + " state-store/README.md). One instance per application instance; if it implements"
          + " org.apache.kafka.common.Configurable it is configured with all settings. Only with"
          + " state.backend=rocksdb.";

  /** {@code rebalance.protocol}. */
  public static final String REBALANCE_PROTOCOL_CONFIG = ConfigKeys.REBALANCE_PROTOCOL_CONFIG;

  /** {@code rebalance.protocol} value: cooperative (incremental) rebalancing, the default. */
  public static final String REBALANCE_COOPERATIVE = ConfigKeys.REBALANCE_COOPERATIVE;

  /** {@code rebalance.protocol} value: eager rebalancing, for the first bounce of an upgrade. */
  public static final String REBALANCE_EAGER = ConfigKeys.REBALANCE_EAGER;

  /** Documentation of {@link #REBALANCE_PROTOCOL_CONFIG}. */
  public static final String REBALANCE_PROTOCOL_DOC =
      "How the stream threads' consumers rebalance. cooperative (default): only the tasks that"
          + " move stop, first at their old owner and then, in a follow-up rebalance, start at"
          + " their new one; every other task keeps processing. eager: every member gives up"
          + " all its tasks at each rebalance, as Weir did before cooperative rebalancing. Set"
          + " eager only for the first rolling bounce of an upgrade from such a Weir, then remove"
          + " it in a second bounce (docs/operations.md, 'Rolling upgrades').";

  /** {@code state.backend} value: RocksDB. */
  public static final String STATE_BACKEND_ROCKSDB = ConfigKeys.STATE_BACKEND_ROCKSDB;

  /** {@code state.backend} value: in memory. */
  public static final String STATE_BACKEND_IN_MEMORY = ConfigKeys.STATE_BACKEND_IN_MEMORY;

  private static final ConfigDef CONFIG = WeirConfigDef.create();

  /**
   * Parses and validates a configuration.
   *
   * @param props the settings; unknown keys pass through to the Kafka clients
   * @throws org.apache.kafka.common.config.ConfigException naming the bad setting
   */
  public WeirConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
  }

  /**
   * Parses and validates a configuration.
   *
   * @param props the settings
   */
  public WeirConfig(Properties props) {
    this((Map<?, ?>) props);
  }

  /** Maps Kafka Streams' name of the exactly-once guarantee to Weir's, so one value flows on. */
  @Override
  protected Map<String, Object> postProcessParsedConfig(Map<String, Object> parsedValues) {
    if (EXACTLY_ONCE_V2.equals(parsedValues.get(PROCESSING_GUARANTEE_CONFIG))) {
      return Map.of(PROCESSING_GUARANTEE_CONFIG, EXACTLY_ONCE);
    }
    return Map.of();
  }

  /**
   * Returns the definition of every setting (names, types, defaults, docs).
   *
   * @return a copy of the definition
   */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /**
   * Returns the dead-letter topic: the configured one or {@code <application.id>-dlq}.
   *
   * @return the topic name
   */
  public String deadLetterTopic() {
    return settings().deadLetterTopic();
  }

  /**
   * Returns whether the guarantee is exactly-once.
   *
   * @return true for exactly_once
   */
  public boolean exactlyOnce() {
    return settings().exactlyOnce();
  }

  /**
   * Returns the settings for one Kafka client: pass-through keys, then keys with the client's
   * prefix (which win). Weir's own keys are left out.
   *
   * @param prefix {@code consumer.}, {@code producer.}, {@code admin.} or {@code restore.consumer.}
   * @return a new mutable map
   */
  public Map<String, Object> clientProps(String prefix) {
    return settings().clientProps(prefix);
  }

  // One implementation of the derived settings, shared with the runtime (which reads Settings).
  private Settings settings() {
    return new Settings(this, CONFIG.names());
  }
}
