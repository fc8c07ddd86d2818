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
            "Settings of a Weir application (`dev.weir.WeirConfig`). Any other key passes through")
        .append(" to Weir's Kafka clients; prefix it with `consumer.`, `producer.` or `admin.` to")
        .append(" reach one client only.\n\n")
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
    return sb.toString();
  }

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
