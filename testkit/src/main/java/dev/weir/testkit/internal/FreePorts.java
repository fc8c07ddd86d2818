package dev.weir.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds free loopback ports by letting the kernel pick them.
 *
 * <p>All ports of one request are held open together before any is released, so one request never
 * returns the same port twice. Another process can still take a port between release and use; the
 * window is short, and a broker that fails to bind reports "Address already in use" in its log.
 */
public final class FreePorts {

  private FreePorts() {}

  /**
   * Allocates distinct free ports on {@code 127.0.0.1}.
   *
   * @param count how many ports, at least 1
   * @return distinct port numbers, released again and free at the time of return
   * @throws UncheckedIOException when the kernel refuses to bind
   */
  public static int[] allocate(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      InetAddress loopback = InetAddress.getByName(NodeAddress.HOST);
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(loopback, 0));
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("could not allocate " + count + " loopback ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // A failed close of a probe socket leaks nothing we can still act on; report it.
          System.err.println("weir: closing probe socket failed: " + e);
        }
      }
    }
  }
}
