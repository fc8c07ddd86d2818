package dev.weir.query;

import java.util.Objects;

/**
 * Where an instance answers queries: its {@code application.server} setting, {@code host:port}.
 * Weir does not listen on it; it is the address of the user's own server (an HTTP endpoint, say)
 * that other instances send or redirect clients to.
 *
 * @param host the host name or address; not null, not empty
 * @param port the port, 1 to 65535
 */
public record HostInfo(String host, int port) {
  /**
   * Checks the fields.
   *
   * @param host the host name or address; not null, not empty
   * @param port the port, 1 to 65535
   * @throws IllegalArgumentException when the host is empty or the port out of range
   */
  public HostInfo {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "Host info '" + host + ":" + port + "': need a non-empty host and a port 1-65535");
    }
  }

  /**
   * Parses {@code host:port} (the last colon separates the port, so {@code [::1]:8080} works).
   *
   * @param hostAndPort e.g. {@code app-1.internal:8080}; not null
   * @return the host info
   * @throws IllegalArgumentException naming the value when it is not {@code host:port}
   */
  public static HostInfo parse(String hostAndPort) {
    Objects.requireNonNull(hostAndPort, "hostAndPort");
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostAndPort.length() - 1) {
      throw new IllegalArgumentException(
          "'" + hostAndPort + "' is not host:port (for example app-1.internal:8080)");
    }
    int port;
    try {
      port = Integer.parseInt(hostAndPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + hostAndPort + "' is not host:port: the port is not a number", e);
    }
    return new HostInfo(hostAndPort.substring(0, colon), port);
  }

  /**
   * Returns {@code host:port}, the form {@link #parse} reads.
   *
   * @return the address
   */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
