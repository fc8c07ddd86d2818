package dev.weir;

import static dev.weir.WeirConfig.*;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.query.HostInfo;
import dev.weir.store.ChangelogRestorer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The definition of every Weir setting (names, types, defaults, validators, docs), grouped as the
 * documentation lists them; {@link dev.weir.WeirConfig} holds the names and docs users see.
 */
final class WeirConfigDef {
  private WeirConfigDef() {}

  /**
   * A new definition of every setting.
   *
   * @return the definition
   */
  static ConfigDef create() {
    return new ConfigDef()
        .define(
            APPLICATION_ID_CONFIG,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            APPLICATION_ID_DOC)
        .define(
            BOOTSTRAP_SERVERS_CONFIG,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            Importance.HIGH,
            BOOTSTRAP_SERVERS_DOC)
        .define(
            PROCESSING_GUARANTEE_CONFIG,
            Type.STRING,
            EXACTLY_ONCE,
            ValidString.in(EXACTLY_ONCE, EXACTLY_ONCE_V2, AT_LEAST_ONCE),
            Importance.HIGH,
            PROCESSING_GUARANTEE_DOC)
        .define(
            NUM_STREAM_THREADS_CONFIG,
            Type.INT,
            1,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            NUM_STREAM_THREADS_DOC)
        .define(
            COMMIT_INTERVAL_MS_CONFIG,
            Type.LONG,
            100L,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            COMMIT_INTERVAL_MS_DOC)
        .define(
            STATE_DIR_CONFIG,
            Type.STRING,
            System.getProperty("java.io.tmpdir") + "/weir-state",
            Importance.MEDIUM,
            STATE_DIR_DOC)
        .define(
            WATERMARK_INTERVAL_MS_CONFIG,
            Type.LONG,
            200L,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            WATERMARK_INTERVAL_MS_DOC)
        .define(
            WATERMARK_STALL_WARN_MS_CONFIG,
            Type.LONG,
            60_000L,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            WATERMARK_STALL_WARN_MS_DOC)
        .define(
            WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG,
            Type.LONG,
            30_000L,
            Importance.LOW,
            WATERMARK_ALIGNMENT_MAX_DRIFT_MS_DOC)
        .define(
            REPARTITION_PURGE_INTERVAL_MS_CONFIG,
            Type.LONG,
            30_000L,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            REPARTITION_PURGE_INTERVAL_MS_DOC)
        .define(
            STATE_BACKEND_CONFIG,
            Type.STRING,
            STATE_BACKEND_ROCKSDB,
            ValidString.in(STATE_BACKEND_ROCKSDB, STATE_BACKEND_IN_MEMORY),
            Importance.MEDIUM,
            STATE_BACKEND_DOC)
        .define(
            STATE_ROCKSDB_MEMORY_BYTES_CONFIG,
            Type.LONG,
            128L << 20,
            ConfigDef.Range.atLeast(1L << 20),
            Importance.MEDIUM,
            STATE_ROCKSDB_MEMORY_BYTES_DOC)
        .define(
            STATE_ROCKSDB_COMMIT_WAL_CONFIG,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            STATE_ROCKSDB_COMMIT_WAL_DOC)
        .define(
            STATE_MAX_UNCOMMITTED_BYTES_CONFIG,
            Type.LONG,
            64L << 20,
            ConfigDef.Range.atLeast(1024L),
            Importance.LOW,
            STATE_MAX_UNCOMMITTED_BYTES_DOC)
        .define(
            STATE_CACHE_MAX_BYTES_CONFIG,
            Type.LONG,
            32L << 20,
            ConfigDef.Range.atLeast(0L),
            Importance.LOW,
            STATE_CACHE_MAX_BYTES_DOC)
        .define(
            STATE_TTL_CLEANUP_BATCH_CONFIG,
            Type.INT,
            1000,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            STATE_TTL_CLEANUP_BATCH_DOC)
        .define(
            STATE_RESTORE_THREADS_CONFIG,
            Type.INT,
            2,
            ConfigDef.Range.between(0, 64),
            Importance.LOW,
            STATE_RESTORE_THREADS_DOC)
        .define(
            STATE_RESTORE_BULK_LOAD_RECORDS_CONFIG,
            Type.LONG,
            ChangelogRestorer.DEFAULT_BULK_LOAD_THRESHOLD,
            ConfigDef.Range.atLeast(-1),
            Importance.LOW,
            STATE_RESTORE_BULK_LOAD_RECORDS_DOC)
        .define(
            STATE_RESTORE_RAW_FETCH_CONFIG,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            STATE_RESTORE_RAW_FETCH_DOC)
        .define(
            STATE_CLEANUP_DELAY_MS_CONFIG,
            Type.LONG,
            600_000L,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            STATE_CLEANUP_DELAY_MS_DOC)
        .define(
            NUM_STANDBY_REPLICAS_CONFIG,
            Type.INT,
            0,
            ConfigDef.Range.between(0, 16),
            Importance.MEDIUM,
            NUM_STANDBY_REPLICAS_DOC)
        .define(
            ACCEPTABLE_RECOVERY_LAG_CONFIG,
            Type.LONG,
            10_000L,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            ACCEPTABLE_RECOVERY_LAG_DOC)
        .define(
            MAX_WARMUP_REPLICAS_CONFIG,
            Type.INT,
            2,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            MAX_WARMUP_REPLICAS_DOC)
        .define(
            PROBING_REBALANCE_INTERVAL_MS_CONFIG,
            Type.LONG,
            600_000L,
            ConfigDef.Range.atLeast(1_000),
            Importance.LOW,
            PROBING_REBALANCE_INTERVAL_MS_DOC)
        .define(
            DESERIALIZATION_HANDLER_CONFIG,
            Type.STRING,
            HANDLER_FAIL,
            ValidString.in(HANDLER_FAIL, HANDLER_LOG_AND_SKIP, HANDLER_DEAD_LETTER),
            Importance.MEDIUM,
            DESERIALIZATION_HANDLER_DOC)
        .define(
            PROCESSING_HANDLER_CONFIG,
            Type.STRING,
            HANDLER_FAIL,
            ValidString.in(HANDLER_FAIL, HANDLER_LOG_AND_SKIP, HANDLER_DEAD_LETTER),
            Importance.MEDIUM,
            PROCESSING_HANDLER_DOC)
        .define(
            PRODUCTION_HANDLER_CONFIG,
            Type.STRING,
            HANDLER_FAIL,
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            PRODUCTION_HANDLER_DOC)
        .define(DEAD_LETTER_TOPIC_CONFIG, Type.STRING, "", Importance.MEDIUM, DEAD_LETTER_TOPIC_DOC)
        .define(
            THREAD_FAILURE_POLICY_CONFIG,
            Type.STRING,
            "shutdown_instance",
            ValidString.in("shutdown_instance", "replace_thread", "shutdown_application"),
            Importance.MEDIUM,
            THREAD_FAILURE_POLICY_DOC)
        .define(REPLICATION_FACTOR_CONFIG, Type.INT, -1, Importance.LOW, REPLICATION_FACTOR_DOC)
        .define(
            POLL_MS_CONFIG, Type.LONG, 50L, ConfigDef.Range.atLeast(0), Importance.LOW, POLL_MS_DOC)
        .define(
            STATUS_HTTP_PORT_CONFIG,
            Type.INT,
            -1,
            ConfigDef.Range.between(-1, 65535),
            Importance.LOW,
            STATUS_HTTP_PORT_DOC)
        .define(
            STATUS_HTTP_BIND_ADDRESS_CONFIG,
            Type.STRING,
            "127.0.0.1",
            new ConfigDef.NonEmptyString(),
            Importance.LOW,
            STATUS_HTTP_BIND_ADDRESS_DOC)
        .define(
            APPLICATION_SERVER_CONFIG,
            Type.STRING,
            null,
            new HostAndPort(),
            Importance.LOW,
            APPLICATION_SERVER_DOC)
        .define(
            LIVENESS_LISTENER_CONFIG,
            Type.STRING,
            null,
            new ListenerAddress(),
            Importance.LOW,
            LIVENESS_LISTENER_DOC)
        .define(
            LIVENESS_TIMEOUT_MS_CONFIG,
            Type.LONG,
            1000L,
            ConfigDef.Range.atLeast(100),
            Importance.LOW,
            LIVENESS_TIMEOUT_MS_DOC)
        .define(
            OFFSET_RESET_POLICY_CONFIG,
            Type.STRING,
            ConfigKeys.OFFSET_RESET_EARLIEST,
            ValidString.in(
                ConfigKeys.OFFSET_RESET_EARLIEST,
                ConfigKeys.OFFSET_RESET_LATEST,
                ConfigKeys.OFFSET_RESET_NONE),
            Importance.MEDIUM,
            OFFSET_RESET_POLICY_DOC)
        .define(
            ROCKSDB_CONFIG_SETTER_CONFIG,
            Type.CLASS,
            null,
            Importance.LOW,
            ROCKSDB_CONFIG_SETTER_DOC)
        .define(
            REBALANCE_PROTOCOL_CONFIG,
            Type.STRING,
            REBALANCE_COOPERATIVE,
            ValidString.in(REBALANCE_COOPERATIVE, REBALANCE_EAGER),
            Importance.LOW,
            REBALANCE_PROTOCOL_DOC)
        .define(
            MAX_COMMIT_FAILURES_CONFIG,
            Type.INT,
            10,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            MAX_COMMIT_FAILURES_DOC);
  }

  /** {@code host:port} that others can reach: not a wildcard address; null allowed. */
  static final class ListenerAddress implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        return;
      }
      String v = value.toString();
      int colon = v.lastIndexOf(':');
      String host = colon > 0 ? v.substring(0, colon) : "";
      int port = -1;
      try {
        port = colon > 0 ? Integer.parseInt(v.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        // reported below
      }
      if (host.isEmpty() || port < 0 || port > 65535) {
        throw new ConfigException(
            name, value, "need host:port with a port 0-65535 (0 picks a free one)");
      }
      if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
        throw new ConfigException(
            name,
            value,
            "the host is sent to the other instances, which cannot connect to a wildcard"
                + " address: set "
                + name
                + " to this instance's own address and port");
      }
    }

    @Override
    public String toString() {
      return "host:port (not a wildcard address; port 0 picks one), or unset";
    }
  }

  /** {@code host:port}, checked with {@link HostInfo#parse}; null allowed. */
  static final class HostAndPort implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        return;
      }
      try {
        HostInfo.parse(value.toString());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            name, value, e.getMessage() + ": set " + name + " to this instance's host:port");
      }
    }

    @Override
    public String toString() {
      return "host:port, or unset";
    }
  }
}
