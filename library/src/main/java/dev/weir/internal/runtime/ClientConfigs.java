package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The configuration of every Kafka client of an application instance, built from the user's
 * settings and the values Weir's guarantees depend on, and the up-front check of those settings
 * ({@link #validate}). Each rule is one row of the table in {@code docs/configuration.md}: a user
 * value that Weir would have to override is an error naming the key and the fix, never silently
 * replaced.
 */
final class ClientConfigs {
  /** The instance id used while validating, before the state directory gives the real one. */
  private static final String PLACEHOLDER_INSTANCE = "validation";

  private final Settings config;
  private final String instanceId;

  ClientConfigs(Settings config, String instanceId) {
    this.config = config;
    this.instanceId = instanceId;
  }

  /**
   * Checks every client-related setting as the clients of each stream thread would receive it, and
   * parses each client configuration with Kafka's own definitions (types, ranges, idempotence
   * constraints), so that a mistake fails the constructor of the application instead of a thread.
   *
   * @param config the parsed settings
   * @throws ConfigException naming the key at fault and the fix
   */
  static void validate(Settings config) {
    ClientConfigs c = new ClientConfigs(config, PLACEHOLDER_INSTANCE);
    rejectEverywhere(config);
    // The threads' configurations differ only in derived ids, so thread 0 stands for all (each
    // parse logs the whole configuration at INFO, as the clients do when they are created).
    parse("consumer.", c.consumer(0), ConsumerConfig::new, true);
    parse("restore.consumer.", c.restoreConsumer(0), ConsumerConfig::new, true);
    parse("producer.", c.producer(0), ProducerConfig::new, false);
    parse("admin.", c.admin(), AdminClientConfig::new, false);
    TopicSettings.of(config);
    if (config.exactlyOnce()) {
      rejectCommitIntervalBeyondTransactionTimeout(config, c.producer(0));
    }
    if (config.getString(ConfigKeys.LIVENESS_LISTENER_CONFIG) != null
        && c.consumer(0).get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG) == null) {
      throw new ConfigException(
          ConfigKeys.LIVENESS_LISTENER_CONFIG,
          config.getString(ConfigKeys.LIVENESS_LISTENER_CONFIG),
          "a crashed instance can be removed from the group only if its members are static: set"
              + " consumer."
              + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG
              + " to an id of this instance's own (kept across restarts), or unset "
              + ConfigKeys.LIVENESS_LISTENER_CONFIG);
    }
  }

  /**
   * Under exactly-once a transaction stays open for a whole commit interval; the broker aborts one
   * that stays open longer than the producer's {@code transaction.timeout.ms}, and every commit
   * would then fail as fenced and roll back, forever and without output.
   */
  private static void rejectCommitIntervalBeyondTransactionTimeout(
      Settings config, Map<String, Object> producer) {
    long interval = config.getLong(ConfigKeys.COMMIT_INTERVAL_MS_CONFIG);
    int timeout =
        (Integer)
            ConfigDef.parseType(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                producer.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                ConfigDef.Type.INT);
    if (interval >= timeout) {
      throw new ConfigException(
          ConfigKeys.COMMIT_INTERVAL_MS_CONFIG,
          interval,
          "under processing.guarantee=exactly_once each transaction stays open for a commit"
              + " interval, and the broker aborts one open longer than the producer's "
              + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG
              + " ("
              + timeout
              + " ms), so every commit would fail. Lower "
              + ConfigKeys.COMMIT_INTERVAL_MS_CONFIG
              + " below it, or raise producer."
              + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG
              + " above it (at most the brokers' transaction.max.timeout.ms)");
    }
  }

  /** Keys no client of Weir may receive, whatever the prefix. */
  private static void rejectEverywhere(Settings config) {
    for (String prefix :
        new String[] {"", "consumer.", "restore.consumer.", "producer.", "admin."}) {
      Map<String, Object> originals = config.originals();
      String key = prefix + ConsumerConfig.AUTO_OFFSET_RESET_CONFIG;
      if (originals.containsKey(key)) {
        throw new ConfigException(
            "Configuration '"
                + key
                + "' is not used by Weir: an input partition without a committed offset starts"
                + " where its KafkaSource says (KafkaSource.startingFrom), and one whose committed"
                + " offset is out of range follows '"
                + ConfigKeys.OFFSET_RESET_POLICY_CONFIG
                + "'. Remove '"
                + key
                + "' and set those instead.");
      }
      key = prefix + ConsumerConfig.GROUP_ID_CONFIG;
      if (originals.containsKey(key)) {
        throw new ConfigException(
            "Configuration '"
                + key
                + "' cannot be set: the consumer group id of a Weir application is its"
                + " application.id. Remove '"
                + key
                + "' and set application.id instead.");
      }
    }
  }

  private interface ConfigParser {
    Object parse(Map<String, Object> props);
  }

  /** Runs Kafka's own checks on one client's configuration; the error names the client prefix. */
  private static void parse(
      String prefix, Map<String, Object> props, ConfigParser parser, boolean consumer) {
    Map<String, Object> withSerdes = new HashMap<>(props);
    // Weir's clients carry bytes; the real (de)serializers are passed to the constructors.
    if (consumer) {
      withSerdes.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      withSerdes.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    } else {
      withSerdes.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      withSerdes.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }
    withSerdes.remove(AssignorContext.CONFIG_KEY);
    try {
      parser.parse(withSerdes);
    } catch (ConfigException e) {
      throw new ConfigException(
          "The "
              + prefix.substring(0, prefix.length() - 1)
              + " configuration is invalid: "
              + e.getMessage()
              + ". Fix the setting (plain, or with the prefix '"
              + prefix
              + "' for this client only).");
    }
  }

  /** The main consumer of stream thread {@code thread}, without the assignor context. */
  Map<String, Object> consumer(int thread) {
    Map<String, Object> c = config.clientProps("consumer.");
    rejectUnlessEqual(
        c, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", "Weir commits offsets itself");
    rejectSet(
        c,
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "Weir assigns whole tasks with its own assignor");
    rejectUnlessEqual(
        c,
        ConsumerConfig.GROUP_PROTOCOL_CONFIG,
        "classic",
        "Weir's assignor runs on the classic group protocol");
    rejectUnlessEqual(
        c,
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
        "false",
        "Weir creates its internal topics itself and requires the sources to exist");
    if (config.exactlyOnce()) {
      rejectUnlessEqual(
          c,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          "read_committed",
          "processing.guarantee=exactly_once reads only committed transactions");
    }
    c.putIfAbsent(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        config.exactlyOnce() ? "read_committed" : "read_uncommitted");
    Object staticId = c.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    if (staticId != null) {
      // One id per thread: members sharing a group.instance.id fence each other.
      c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, staticId + "-" + thread);
    }
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(ConfigKeys.APPLICATION_ID_CONFIG));
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Weir decides per partition (source start position, offset.reset.policy) and logs it.
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, TaskAssignor.class.getName());
    c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    // A source deleted while the application runs must fail it, not come back from a metadata
    // request with the broker's default partition count (which would break co-partitioning).
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(c, thread, "consumer"));
    return c;
  }

  /**
   * The consumer that restores changelogs: no group, read_committed, never commits. Gets the
   * consumer settings, then those prefixed {@code restore.consumer.}.
   */
  Map<String, Object> restoreConsumer(int thread) {
    Map<String, Object> c = config.clientProps("consumer.");
    String prefix = "restore.consumer.";
    config
        .originals()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix) && k.length() > prefix.length()) {
                c.put(k.substring(prefix.length()), v);
              }
            });
    rejectRestoreOverride(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, null, "it joins no group");
    rejectRestoreOverride(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", "it never commits offsets");
    rejectRestoreOverride(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        "read_committed",
        "a changelog may hold aborted writes that must not be restored");
    rejectRestoreOverride(
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
        "false",
        "Weir creates and checks the changelogs itself");
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    c.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    // A restore reads all changelog partitions of a thread's new tasks at once; moderate chunks
    // per partition keep a fetch in flight while the records of the last one are applied.
    c.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 << 20);
    // A tail holding only a transaction marker returns no records; do not wait for more.
    c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(c, thread, "restore-consumer"));
    return c;
  }

  /** The producer of stream thread {@code thread}. */
  Map<String, Object> producer(int thread) {
    Map<String, Object> p = config.clientProps("producer.");
    rejectSet(
        p,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        "Weir derives one per stream thread from application.id and the instance id");
    Object acks = p.get(ProducerConfig.ACKS_CONFIG);
    if (acks != null && !"all".equals(acks.toString()) && !"-1".equals(acks.toString())) {
      throw new ConfigException(
          "Configuration '"
              + ProducerConfig.ACKS_CONFIG
              + "="
              + acks
              + "' would let Weir commit input offsets for outputs a broker failure can still"
              + " lose (both processing guarantees need acks=all). Remove it.");
    }
    if (config.exactlyOnce()) {
      rejectUnlessEqual(
          p,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          "true",
          "processing.guarantee=exactly_once uses transactions, which need an idempotent"
              + " producer");
      p.put(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          config.getString(ConfigKeys.APPLICATION_ID_CONFIG) + "-" + instanceId + "-" + thread);
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
      if (!p.containsKey(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)
          && !p.containsKey(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG)) {
        // Transactions v2 (KIP-890): the first batch of a transaction to a partition makes the
        // broker add the partition, which fails with CONCURRENT_TRANSACTIONS while the previous
        // transaction's markers are still being written. The broker retries for 100 ms, then the
        // producer backs off retry.backoff.ms (100 ms, doubling to 1 s) and the batches behind
        // it fail with OUT_OF_ORDER_SEQUENCE_NUMBER; the next commit waits for all of them. The
        // old AddPartitionsToTxn path backed off 20 ms for this (KAFKA-5477); so does Weir's
        // transactional producer, capped at 100 ms (docs/performance.md, 'Commit latency').
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 20);
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100);
      }
    }
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Under exactly-once nothing is visible before the commit, which sends what is left at once:
    // lingering up to a commit interval (at most 100 ms, Kafka Streams' default) costs no latency
    // and fills batches. Under at-least-once a record is visible when it is sent, so 10 ms.
    p.putIfAbsent(
        ProducerConfig.LINGER_MS_CONFIG,
        config.exactlyOnce()
            ? (int) Math.min(100, config.getLong(ConfigKeys.COMMIT_INTERVAL_MS_CONFIG))
            : 10);
    p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(p, thread, "producer"));
    return p;
  }

  /** The admin client of the instance. */
  Map<String, Object> admin() {
    Map<String, Object> a = config.clientProps("admin.");
    a.putIfAbsent(
        AdminClientConfig.CLIENT_ID_CONFIG,
        config.getString(ConfigKeys.APPLICATION_ID_CONFIG) + "-" + instanceId + "-admin");
    return a;
  }

  /**
   * A user's {@code client.id} becomes the prefix of each client's id, so that the threads' clients
   * do not share one id (their metrics would collide).
   */
  private String clientId(Map<String, Object> c, int thread, String kind) {
    Object user = c.get(ConsumerConfig.CLIENT_ID_CONFIG);
    String base =
        user != null
            ? user.toString()
            : config.getString(ConfigKeys.APPLICATION_ID_CONFIG) + "-" + instanceId;
    return base + "-" + thread + "-" + kind;
  }

  private void rejectRestoreOverride(String key, String allowed, String why) {
    Object v = config.originals().get("restore.consumer." + key);
    if (v != null && (allowed == null || !allowed.equals(v.toString()))) {
      throw new ConfigException(
          "Configuration 'restore.consumer."
              + key
              + "="
              + v
              + "' cannot be used: the restore consumer needs "
              + (allowed == null ? "no " + key : key + "=" + allowed)
              + " ("
              + why
              + "). Remove it.");
    }
  }

  private static void rejectSet(Map<String, Object> c, String key, String why) {
    if (c.containsKey(key)) {
      throw new ConfigException(
          "Configuration '" + key + "' cannot be set (" + why + "). Remove it.");
    }
  }

  private static void rejectUnlessEqual(
      Map<String, Object> c, String key, String required, String why) {
    Object v = c.get(key);
    if (v != null && !required.equalsIgnoreCase(v.toString())) {
      throw new ConfigException(
          "Configuration '"
              + key
              + "="
              + v
              + "' conflicts with Weir: it needs "
              + key
              + "="
              + required
              + " ("
              + why
              + "). Remove the setting or set it to "
              + required
              + ".");
    }
  }
}
