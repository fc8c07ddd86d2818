package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.errors.WeirException;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cleanUp() deletes this instance's local state, keeps its instance id, and never runs twice. */
class WeirApplicationCleanUpTest {
  @TempDir Path stateDir;

  private WeirApplication app() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    p.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
    return new WeirApplication(b.build(), p);
  }

  @Test
  void deletesTaskStateButKeepsTheInstanceId() throws IOException {
    Path appDir = stateDir.resolve("app");
    Files.createDirectories(appDir.resolve("0_1").resolve("db"));
    Files.writeString(appDir.resolve("0_1").resolve("db").resolve("CURRENT"), "x");
    Files.writeString(appDir.resolve("instance.id"), "abcd1234", StandardCharsets.UTF_8);
    Files.createDirectories(stateDir.resolve("other-app").resolve("0_0"));

    try (WeirApplication app = app()) {
      app.cleanUp();
    }

    assertThat(appDir.resolve("0_1")).doesNotExist();
    assertThat(appDir.resolve("instance.id")).hasContent("abcd1234");
    assertThat(stateDir.resolve("other-app").resolve("0_0")).exists();
  }

  @Test
  void refusesWhileAnotherProcessHoldsTheDirectory() throws IOException {
    Path appDir = Files.createDirectories(stateDir.resolve("app"));
    try (FileChannel ch =
            FileChannel.open(
                appDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock();
        WeirApplication app = app()) {
      assertThat(held.isValid()).isTrue();
      assertThatThrownBy(app::cleanUp)
          .isInstanceOf(WeirException.class)
          .hasMessageContaining("is in use by another instance");
    }
  }
}
