package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from {@link WeirConfig#configDef()}; this test fails when it
 * is stale. Regenerate with {@code mvn -pl library test -Dtest=ConfigurationDocTest
 * -Dweir.docs.regenerate=true}.
 */
class ConfigurationDocTest {
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Configuration reference\n\n")
        .append(
            "<!-- Generated from WeirConfig by ConfigurationDocTest; do not edit by hand. -->\n\n")
        .append(
            "Settings of a Weir application (`dev.weir.WeirConfig`). Every setting is checked when")
        .append(" `WeirApplication` is constructed, before any thread runs or any broker is")
        .append(
            " contacted; a mistake is a `ConfigException` naming the key and the fix. Any other")
        .append(" key passes through to Weir's Kafka clients (see [Prefixes](#prefixes)). Which")
        .append(" settings to change for performance, and what each costs, is in the")
        .append(" [tuning guide](tuning.md).\n\n")
        .append("| Setting | Type | Default | Valid values | Importance | Description |\n")
        .append("|---|---|---|---|---|---|\n");
    List<ConfigDef.ConfigKey> keys =
        WeirConfig.configDef().configKeys().values().stream()
            .sorted(
                java.util.Comparator.comparing((ConfigDef.ConfigKey k) -> k.importance)
                    .thenComparing(k -> k.name))
            .toList();
    for (ConfigDef.ConfigKey k : keys) {
      String def =
          k.hasDefault()
              ? (k.defaultValue == null
                  ? "null"
                  : ConfigDef.convertToString(k.defaultValue, k.type))
              : "(required)";
      if (k.name.equals(WeirConfig.STATE_DIR_CONFIG)) {
        def = "${java.io.tmpdir}/weir-state";
      }
      sb.append("| `")
          .append(k.name)
          .append("` | ")
          .append(k.type.name().toLowerCase(java.util.Locale.ROOT))
          .append(" | `")
          .append(def.isEmpty() ? "\"\"" : def)
          .append("` | ")
          .append(k.validator == null ? "" : k.validator.toString().replace("|", "\\|"))
          .append(" | ")
          .append(k.importance.name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(k.documentation.replace("|", "\\|"))
          .append(" |\n");
    }
    sb.append(TAIL);
    return sb.toString();
  }

  private static final String TAIL =
      """

      ## Prefixes

      | Prefix | Reaches |
      |---|---|
      | (none) | every client: the main consumer, the restore consumer, the producer, the admin \
      client (for example `security.protocol`, `sasl.jaas.config`) |
      | `consumer.` | the main consumer of each stream thread, and the restore consumer |
      | `restore.consumer.` | the restore consumer only (it reads changelogs; wins over \
      `consumer.`) |
      | `producer.` | the producer of each stream thread |
      | `admin.` | the admin client (topic set-up, repartition purging) |
      | `topic.` | the internal topics Weir creates (changelogs and repartition topics), on top \
      of Weir's own values; for example `topic.min.insync.replicas=2`. Applied when a topic is \
      created; an existing topic keeps its configuration. The name must be a Kafka topic \
      configuration. |

      A prefixed key wins over the same plain key. Each client's resulting configuration is \
      parsed with Kafka's own definition at construction, so a bad value (a wrong type, \
      `max.in.flight.requests.per.connection=10` with idempotence) fails there, naming the \
      client. A `client.id` becomes the prefix of every client's id \
      (`<client.id>-<thread>-consumer`), so the threads' clients do not share one.

      ## Client settings Weir owns

      Weir's guarantees depend on some client settings. A user value is never replaced silently: \
      either it agrees with what Weir needs (accepted), or the constructor rejects it.

      | Setting | Under any prefix | Rule | Why |
      |---|---|---|---|
      | `group.id` | rejected | the group id is `application.id` | one group per application |
      | `auto.offset.reset` | rejected | use `KafkaSource.startingFrom` (no committed offset) \
      and `offset.reset.policy` (committed offset out of range) | Weir decides per partition, \
      logs and counts each reset |
      | `enable.auto.commit` | `false` accepted, `true` rejected | offsets are committed by \
      Weir (in the transaction under exactly-once) | auto commit would commit unprocessed input |
      | `partition.assignment.strategy` | rejected | Weir's task assignor | tasks, not \
      partitions, are assigned |
      | `group.protocol` | `classic` accepted, others rejected | | the assignor needs the \
      classic protocol |
      | `allow.auto.create.topics` | `false` accepted, `true` rejected (also `restore.consumer.`) \
      | Weir creates its internal topics and checks that sources exist before any thread starts \
      | a source deleted while running must fail the application, not come back with the \
      broker's default partition count |
      | `isolation.level` | exactly_once: `read_committed` accepted, `read_uncommitted` \
      rejected; at_least_once: honoured (default `read_uncommitted`); \
      `restore.consumer.isolation.level`: only `read_committed` | | aborted outputs must not \
      be read or restored |
      | `group.instance.id` | derived per thread: `<id>-<thread>`; \
      `restore.consumer.group.instance.id` rejected | threads sharing one id would fence \
      each other | static membership |
      | `acks` | `all`/`-1` accepted, others rejected | both guarantees commit offsets only \
      for acknowledged outputs | `acks=1` loses outputs on a leader failure |
      | `enable.idempotence` | exactly_once: `true` accepted, `false` rejected; at_least_once: \
      honoured | transactions need idempotence | |
      | `transactional.id` | rejected | derived: `<application.id>-<instance id>-<thread>` | \
      one per thread, stable across restarts |
      | `processing.guarantee=exactly_once_v2` | accepted as an alias of `exactly_once` | | \
      Kafka Streams' name |
      | `topic.cleanup.policy` | rejected | changelogs are compacted, repartition topics are \
      purged by Weir | |
      | `topic.<unknown>` | rejected | must be a Kafka topic configuration | typos |
      | `rocksdb.config.setter` | class must implement `dev.weir.store.RocksDbOptionsSetter` \
      and have a public no-argument constructor; rejected with `state.backend=in_memory` | | |
      """;

  @Test
  void referencePageIsCurrent() throws IOException {
    String expected = render();
    if (Boolean.getBoolean("weir.docs.regenerate")) {
      Files.createDirectories(DOC.getParent());
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(DOC)
        .as("docs/configuration.md; regenerate with -Dweir.docs.regenerate=true")
        .exists();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8)).isEqualTo(expected);
  }
}
