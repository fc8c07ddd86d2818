package dev.weir.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void portsAreDistinctAndBindableOnLoopback() throws Exception {
    int[] ports = FreePorts.allocate(6);

    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(6);
    for (int port : ports) {
      assertThat(port).isBetween(1024, 65535);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(NodeAddress.HOST), port));
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void rejectsNonPositiveCounts() {
    assertThatThrownBy(() -> FreePorts.allocate(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
