package dev.weir.testkit.internal;

/**
 * Loopback ports of one KRaft combined node. They are fixed for the node's life, so a restarted
 * node is found where clients and the other voters expect it.
 *
 * @param nodeId the node id, equal to the broker's index in its cluster
 * @param brokerPort port of the {@code PLAINTEXT} listener that clients use
 * @param controllerPort port of the {@code CONTROLLER} listener that the quorum uses
 */
public record NodeAddress(int nodeId, int brokerPort, int controllerPort) {

  /** The loopback host every listener binds to and advertises. */
  public static final String HOST = "127.0.0.1";

  /**
   * Returns the client-facing address.
   *
   * @return {@code 127.0.0.1:<brokerPort>}
   */
  public String brokerEndpoint() {
    return HOST + ":" + brokerPort;
  }

  /**
   * Returns this node's entry in {@code controller.quorum.voters}.
   *
   * @return {@code <nodeId>@127.0.0.1:<controllerPort>}
   */
  public String voter() {
    return nodeId + "@" + HOST + ":" + controllerPort;
  }
}
