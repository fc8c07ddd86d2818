package dev.weir.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' arguments: a secured cluster's client settings come from --command-config. */
class ExampleRunnerTest {

  @TempDir Path tmp;

  @Test
  void commandConfigPropertiesReachTheApplicationAndTheAdminClient() throws Exception {
    Path file = tmp.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "sasl.mechanism=SCRAM-SHA-512\n"
            + "bootstrap.servers=from-file:9093\n");
    Properties config = new Properties();
    config.put("application.id", "wc");
    Map<String, Object> client =
        ExampleRunner.configure(
            new String[] {
              "--command-config",
              file.toString(),
              "--bootstrap-servers",
              "broker:9093",
              "--state-dir",
              "/tmp/s"
            },
            config);
    assertThat(client)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "bootstrap.servers", "broker:9093"));
    assertThat(config)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "application.id", "wc",
                "state.dir", "/tmp/s",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "bootstrap.servers", "broker:9093"));
  }

  @Test
  void bootstrapServersComeFromTheFileOrDefaultToLocalhost() throws Exception {
    Path file = tmp.resolve("client.properties");
    Files.writeString(file, "bootstrap.servers=from-file:9093\n");
    assertThat(
            ExampleRunner.configure(
                new String[] {"--command-config", file.toString()}, new Properties()))
        .containsExactlyEntriesOf(Map.of("bootstrap.servers", "from-file:9093"));
    assertThat(ExampleRunner.configure(new String[0], new Properties()))
        .containsExactlyEntriesOf(Map.of("bootstrap.servers", "localhost:9092"));
  }

  @Test
  void anUnknownArgumentNamesTheUsage() {
    assertThatThrownBy(
            () -> ExampleRunner.configure(new String[] {"--brokers", "x"}, new Properties()))
        .hasMessage(
            "Unknown argument --brokers; usage: [--bootstrap-servers host:port]"
                + " [--command-config client.properties] [--state-dir directory]");
  }
}
