package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirConfig;
import dev.weir.internal.config.Settings;
import dev.weir.internal.config.TestSettings;
import dev.weir.store.RocksDbOptionsSetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Every configuration mistake fails validation with the key and the fix; nothing is silent. */
class ClientConfigsTest {
  private static Map<Object, Object> base() {
    Map<Object, Object> p = new HashMap<>();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    return p;
  }

  private static Map<Object, Object> with(Object... kv) {
    Map<Object, Object> p = base();
    for (int i = 0; i < kv.length; i += 2) {
      p.put(kv[i], kv[i + 1]);
    }
    return p;
  }

  private static void assertRejected(Map<Object, Object> props, String... messageParts) {
    assertThatThrownBy(() -> ApplicationRuntime.validate(TestSettings.of(props)))
        .isInstanceOf(ConfigException.class)
        .message()
        .contains(messageParts);
  }

  private static ClientConfigs configs(Map<Object, Object> props) {
    Settings s = TestSettings.of(props);
    ApplicationRuntime.validate(s);
    return new ClientConfigs(s, "inst");
  }

  @Test
  void exactlyOnceRejectsACommitIntervalTheTransactionTimeoutWouldAbort() {
    assertRejected(
        with(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, "20000"),
        "commit.interval.ms",
        "20000",
        "producer's transaction.timeout.ms (10000 ms)",
        "Lower commit.interval.ms below it, or raise producer.transaction.timeout.ms above it");
    assertRejected(
        with(
            WeirConfig.COMMIT_INTERVAL_MS_CONFIG,
            "30000",
            "producer.transaction.timeout.ms",
            "30000"),
        "transaction.timeout.ms (30000 ms)");
    // Accepted: below the timeout, a raised timeout, or no transactions at all.
    configs(with(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, "9999"));
    configs(
        with(
            WeirConfig.COMMIT_INTERVAL_MS_CONFIG,
            "20000",
            "producer.transaction.timeout.ms",
            "60000"));
    configs(
        with(
            WeirConfig.COMMIT_INTERVAL_MS_CONFIG,
            "20000",
            WeirConfig.PROCESSING_GUARANTEE_CONFIG,
            WeirConfig.AT_LEAST_ONCE));
  }

  @Test
  void groupIdIsRejectedUnderEveryPrefix() {
    for (String key : new String[] {"group.id", "consumer.group.id", "restore.consumer.group.id"}) {
      assertRejected(
          with(key, "mine"),
          "'" + key + "' cannot be set",
          "group id of a Weir application is its application.id",
          "Remove '" + key + "' and set application.id instead");
    }
  }

  @Test
  void autoOffsetResetIsRejectedInFavourOfTheSourceAndTheResetPolicy() {
    assertRejected(
        with("consumer.auto.offset.reset", "latest"),
        "'consumer.auto.offset.reset' is not used by Weir",
        "KafkaSource.startingFrom",
        "'offset.reset.policy'");
  }

  @Test
  void ownedConsumerSettingsAreRejectedUnlessTheyEqualWeirs() {
    assertRejected(
        with("enable.auto.commit", "true"),
        "'enable.auto.commit=true' conflicts with Weir",
        "needs enable.auto.commit=false",
        "Weir commits offsets itself");
    assertRejected(
        with("consumer.partition.assignment.strategy", "x.Y"),
        "'partition.assignment.strategy' cannot be set",
        "own assignor",
        "Remove it");
    assertRejected(
        with("group.protocol", "consumer"),
        "'group.protocol=consumer' conflicts with Weir",
        "group.protocol=classic");
    assertThat(configs(with("enable.auto.commit", "false")).consumer(0))
        .containsEntry("enable.auto.commit", false);
  }

  @Test
  void consumersNeverAskTheBrokerToCreateATopic() {
    ClientConfigs defaults = configs(base());
    assertThat(defaults.consumer(0)).containsEntry("allow.auto.create.topics", false);
    assertThat(defaults.restoreConsumer(0)).containsEntry("allow.auto.create.topics", false);
    assertThat(configs(with("consumer.allow.auto.create.topics", "false")).consumer(1))
        .containsEntry("allow.auto.create.topics", false);
    assertRejected(
        with("allow.auto.create.topics", "true"),
        "'allow.auto.create.topics=true' conflicts with Weir",
        "requires the sources to exist");
    assertRejected(
        with("consumer.allow.auto.create.topics", "true"),
        "'allow.auto.create.topics=true' conflicts with Weir");
    assertRejected(
        with("restore.consumer.allow.auto.create.topics", "true"),
        "'restore.consumer.allow.auto.create.topics=true' cannot be used",
        "creates and checks the changelogs itself");
  }

  @Test
  void isolationLevelReadUncommittedIsRejectedUnderExactlyOnceOnly() {
    assertRejected(
        with("isolation.level", "read_uncommitted"),
        "'isolation.level=read_uncommitted' conflicts with Weir",
        "exactly_once reads only committed transactions");
    Map<String, Object> alo =
        configs(
                with(
                    WeirConfig.PROCESSING_GUARANTEE_CONFIG,
                    WeirConfig.AT_LEAST_ONCE,
                    "consumer.isolation.level",
                    "read_committed"))
            .consumer(0);
    assertThat(alo).containsEntry("isolation.level", "read_committed");
    assertRejected(
        with("restore.consumer.isolation.level", "read_uncommitted"),
        "'restore.consumer.isolation.level=read_uncommitted' cannot be used",
        "aborted writes");
  }

  @Test
  void acksOtherThanAllAreRejected() {
    assertRejected(
        with("producer.acks", "1"),
        "'acks=1'",
        "both processing guarantees need acks=all",
        "Remove it");
    assertThat(configs(with("acks", "-1")).producer(0)).containsEntry("acks", "all");
  }

  @Test
  void idempotenceOffIsRejectedUnderExactlyOnceAndHonouredUnderAtLeastOnce() {
    assertRejected(
        with("enable.idempotence", "false"),
        "'enable.idempotence=false' conflicts with Weir",
        "need an idempotent producer");
    Map<String, Object> alo =
        configs(
                with(
                    WeirConfig.PROCESSING_GUARANTEE_CONFIG,
                    WeirConfig.AT_LEAST_ONCE,
                    "enable.idempotence",
                    "false"))
            .producer(0);
    assertThat(alo).containsEntry("enable.idempotence", "false");
  }

  @Test
  void transactionalIdIsRejected() {
    assertRejected(
        with("producer.transactional.id", "t"),
        "'transactional.id' cannot be set",
        "one per stream thread");
  }

  @Test
  void kafkasOwnChecksRunUpFrontAndNameTheClient() {
    assertRejected(
        with("producer.max.in.flight.requests.per.connection", "10"),
        "The producer configuration is invalid",
        "max.in.flight.requests.per.connection",
        "prefix 'producer.'");
    assertRejected(
        with("consumer.session.timeout.ms", "soon"),
        "The consumer configuration is invalid",
        "session.timeout.ms");
  }

  @Test
  void groupInstanceIdIsDerivedPerThreadAndNeverReachesTheRestoreConsumer() {
    ClientConfigs c = configs(with("group.instance.id", "pod-7", "num.stream.threads", 3));
    assertThat(c.consumer(0)).containsEntry("group.instance.id", "pod-7-0");
    assertThat(c.consumer(2)).containsEntry("group.instance.id", "pod-7-2");
    assertThat(c.restoreConsumer(0)).doesNotContainKey("group.instance.id");
    assertRejected(
        with("restore.consumer.group.instance.id", "x"),
        "'restore.consumer.group.instance.id=x' cannot be used",
        "no group.instance.id");
  }

  @Test
  void exactlyOnceV2IsAnAlias() {
    Settings s = TestSettings.of(with(WeirConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2"));
    assertThat(s.exactlyOnce()).isTrue();
    assertThat(s.getString(WeirConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(WeirConfig.EXACTLY_ONCE);
    assertThat(new ClientConfigs(s, "i").producer(1)).containsEntry("transactional.id", "app-i-1");
  }

  @Test
  void theTransactionalProducerRetriesSoonAfterConcurrentTransactionsUnlessTold() {
    assertThat(configs(with()).producer(0))
        .containsEntry("retry.backoff.ms", 20)
        .containsEntry("retry.backoff.max.ms", 100);
    assertThat(configs(with("producer.retry.backoff.ms", "50")).producer(0))
        .containsEntry("retry.backoff.ms", "50")
        .doesNotContainKey("retry.backoff.max.ms");
    assertThat(
            new ClientConfigs(
                    TestSettings.of(
                        with(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.AT_LEAST_ONCE)),
                    "i")
                .producer(0))
        .doesNotContainKey("retry.backoff.ms");
  }

  @Test
  void theProducerLingersUpToACommitIntervalUnderExactlyOnceOnly() {
    assertThat(configs(with()).producer(0)).containsEntry("linger.ms", 100);
    assertThat(configs(with(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, "30")).producer(0))
        .containsEntry("linger.ms", 30);
    assertThat(configs(with(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, "5000")).producer(0))
        .containsEntry("linger.ms", 100);
    assertThat(
            configs(with(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.AT_LEAST_ONCE))
                .producer(0))
        .containsEntry("linger.ms", 10);
  }

  @Test
  void prefixesRouteSettingsToOneClient() {
    ClientConfigs c =
        configs(
            with(
                "max.poll.records", "50",
                "consumer.fetch.min.bytes", "7",
                "restore.consumer.max.poll.records", "999",
                "producer.linger.ms", "3",
                "admin.request.timeout.ms", "1234",
                "topic.min.insync.replicas", "2",
                "client.id", "svc"));
    assertThat(c.consumer(1))
        .containsEntry("max.poll.records", "50")
        .containsEntry("fetch.min.bytes", "7")
        .containsEntry("client.id", "svc-1-consumer")
        .doesNotContainKey("topic.min.insync.replicas")
        .doesNotContainKey("restore.consumer.max.poll.records");
    assertThat(c.restoreConsumer(1))
        .containsEntry("max.poll.records", "999")
        .containsEntry("fetch.min.bytes", "7")
        .containsEntry("client.id", "svc-1-restore-consumer");
    assertThat(c.producer(0))
        .containsEntry("linger.ms", "3")
        .doesNotContainKey("fetch.min.bytes")
        .doesNotContainKey("min.insync.replicas");
    assertThat(c.admin()).containsEntry("request.timeout.ms", "1234");
  }

  @Test
  void topicPrefixConfiguresInternalTopicsOnTopOfWeirsValues() {
    TopicSettings t =
        TopicSettings.of(
            TestSettings.of(with("topic.min.insync.replicas", "2", "topic.segment.bytes", 1000)));
    assertThat(t.apply(Map.of("cleanup.policy", "compact")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "cleanup.policy", "compact", "min.insync.replicas", "2", "segment.bytes", "1000"));
    assertRejected(
        with("topic.min.insync.replica", "2"),
        "'topic.min.insync.replica'",
        "not a Kafka topic configuration",
        "fix the name");
    assertRejected(
        with("topic.cleanup.policy", "delete"),
        "'topic.cleanup.policy' cannot be set",
        "compacts changelogs");
  }

  /** A valid setter for the tests. */
  public static final class Tuning implements RocksDbOptionsSetter {}

  /** Not a setter. */
  public static final class NotASetter {}

  /** A setter without a no-argument constructor. */
  public static final class NeedsArgument implements RocksDbOptionsSetter {
    public NeedsArgument(String unused) {}
  }

  @Test
  void rocksDbOptionsSetterIsChecked() {
    ApplicationRuntime.validate(
        TestSettings.of(with(WeirConfig.ROCKSDB_CONFIG_SETTER_CONFIG, Tuning.class.getName())));
    assertRejected(
        with(WeirConfig.ROCKSDB_CONFIG_SETTER_CONFIG, NotASetter.class.getName()),
        "'rocksdb.config.setter'",
        "does not implement dev.weir.store.RocksDbOptionsSetter");
    assertRejected(
        with(WeirConfig.ROCKSDB_CONFIG_SETTER_CONFIG, NeedsArgument.class.getName()),
        "has no public no-argument constructor");
    assertRejected(
        with(
            WeirConfig.ROCKSDB_CONFIG_SETTER_CONFIG,
            Tuning.class.getName(),
            WeirConfig.STATE_BACKEND_CONFIG,
            WeirConfig.STATE_BACKEND_IN_MEMORY),
        "has no effect with state.backend=in_memory");
    assertThatThrownBy(
            () -> TestSettings.of(with(WeirConfig.ROCKSDB_CONFIG_SETTER_CONFIG, "no.such.Class")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rocksdb.config.setter");
  }
}
