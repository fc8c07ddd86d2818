package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.errors.WeirException;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status server's settings are checked before anything starts. */
class StatusServerConfigTest {
  @TempDir Path tmp;

  private static Topology topology() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b.build();
  }

  private Properties props(Object port) {
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, "status-config");
    // Nothing listens here: a test that got as far as the runtime would fail on the topic check.
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    p.put(WeirConfig.STATE_DIR_CONFIG, tmp.toString());
    p.put(WeirConfig.STATUS_HTTP_PORT_CONFIG, port);
    return p;
  }

  @Test
  void aPortOutOfRangeIsRejectedWhenTheApplicationIsCreated() {
    assertThatThrownBy(() -> new WeirApplication(topology(), props(70_000)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value 70000 for configuration status.http.port: Value must be no more than"
                + " 65535");
    assertThatThrownBy(() -> new WeirApplication(topology(), props("eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("status.http.port");
  }

  @Test
  void aPortInUseFailsStartBeforeAnyThreadStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        WeirApplication app = new WeirApplication(topology(), props(taken.getLocalPort()))) {
      assertThatThrownBy(app::start)
          .isInstanceOf(WeirException.class)
          .hasMessageStartingWith(
              "The status server cannot listen on 127.0.0.1:" + taken.getLocalPort());
      assertThat(app.state()).isEqualTo(ApplicationState.CREATED);
      assertThat(app.statusAddress()).isNull();
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().startsWith("status-config-"));
    }
  }
}
