package dev.weir.internal.config;

/**
 * The names and fixed values of Weir's settings. {@link dev.weir.WeirConfig} publishes each of them
 * under the same name; they live here so the runtime reads settings without depending on the public
 * facade package.
 */
public final class ConfigKeys {
  public static final String APPLICATION_ID_CONFIG = "application.id";

  public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";

  public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";

  public static final String PROCESSING_GUARANTEE_CONFIG = "processing.guarantee";

  public static final String EXACTLY_ONCE = "exactly_once";

  public static final String AT_LEAST_ONCE = "at_least_once";

  /** Kafka Streams' name for the same guarantee; accepted as an alias of {@link #EXACTLY_ONCE}. */
  public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";

  public static final String OFFSET_RESET_POLICY_CONFIG = "offset.reset.policy";

  public static final String OFFSET_RESET_EARLIEST = "earliest";

  public static final String OFFSET_RESET_LATEST = "latest";

  public static final String OFFSET_RESET_NONE = "none";

  public static final String ROCKSDB_CONFIG_SETTER_CONFIG = "rocksdb.config.setter";

  public static final String PRODUCTION_HANDLER_CONFIG = "errors.production.handler";

  public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";

  public static final String STATE_DIR_CONFIG = "state.dir";

  public static final String POLL_MS_CONFIG = "poll.ms";

  public static final String POLL_MS_DOC = "How long a stream thread blocks in a poll for input.";

  public static final String REPLICATION_FACTOR_CONFIG = "replication.factor";

  public static final String DESERIALIZATION_HANDLER_CONFIG = "errors.deserialization.handler";

  public static final String PROCESSING_HANDLER_CONFIG = "errors.processing.handler";

  public static final String DEAD_LETTER_TOPIC_CONFIG = "errors.dead.letter.topic";

  public static final String HANDLER_FAIL = "fail";

  public static final String HANDLER_LOG_AND_SKIP = "log_and_skip";

  public static final String HANDLER_DEAD_LETTER = "dead_letter";

  public static final String THREAD_FAILURE_POLICY_CONFIG = "thread.failure.policy";

  public static final String MAX_COMMIT_FAILURES_CONFIG = "max.commit.failures";

  public static final String STATE_BACKEND_CONFIG = "state.backend";

  public static final String STATE_ROCKSDB_MEMORY_BYTES_CONFIG = "state.rocksdb.memory.bytes";

  public static final String STATE_ROCKSDB_COMMIT_WAL_CONFIG = "state.rocksdb.commit.wal";

  public static final String STATE_MAX_UNCOMMITTED_BYTES_CONFIG = "state.max.uncommitted.bytes";

  public static final String STATE_CACHE_MAX_BYTES_CONFIG = "state.cache.max.bytes";

  public static final String STATE_TTL_CLEANUP_BATCH_CONFIG = "state.ttl.cleanup.batch";

  public static final String STATE_RESTORE_THREADS_CONFIG = "state.restore.threads";

  public static final String STATE_RESTORE_BULK_LOAD_RECORDS_CONFIG =
      "state.restore.bulk.load.records";

  public static final String STATE_RESTORE_RAW_FETCH_CONFIG = "state.restore.raw.fetch";

  public static final String STATE_CLEANUP_DELAY_MS_CONFIG = "state.cleanup.delay.ms";

  public static final String NUM_STANDBY_REPLICAS_CONFIG = "num.standby.replicas";

  public static final String ACCEPTABLE_RECOVERY_LAG_CONFIG = "acceptable.recovery.lag";

  public static final String MAX_WARMUP_REPLICAS_CONFIG = "max.warmup.replicas";

  public static final String PROBING_REBALANCE_INTERVAL_MS_CONFIG = "probing.rebalance.interval.ms";

  public static final String WATERMARK_INTERVAL_MS_CONFIG = "watermark.interval.ms";

  public static final String WATERMARK_STALL_WARN_MS_CONFIG = "watermark.stall.warn.ms";

  public static final String WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG =
      "watermark.alignment.max.drift.ms";

  public static final String REPARTITION_PURGE_INTERVAL_MS_CONFIG = "repartition.purge.interval.ms";

  public static final String STATUS_HTTP_PORT_CONFIG = "status.http.port";

  public static final String APPLICATION_SERVER_CONFIG = "application.server";

  public static final String STATUS_HTTP_BIND_ADDRESS_CONFIG = "status.http.bind.address";

  public static final String LIVENESS_LISTENER_CONFIG = "liveness.listener";

  public static final String LIVENESS_TIMEOUT_MS_CONFIG = "liveness.timeout.ms";

  public static final String STATE_BACKEND_ROCKSDB = "rocksdb";

  public static final String STATE_BACKEND_IN_MEMORY = "in_memory";

  public static final String REBALANCE_PROTOCOL_CONFIG = "rebalance.protocol";

  public static final String REBALANCE_COOPERATIVE = "cooperative";

  public static final String REBALANCE_EAGER = "eager";

  private ConfigKeys() {}
}
