package dev.weir.perf;

import java.util.List;

/** The JVM of the benchmarks' broker. */
public final class BrokerJvm {
  /**
   * A fixed heap, G1 and the full JIT, unlike the testkit's fast-start default (the serial
   * collector, C1 only): W1's throughput and the latency tools' figures are taken on this broker.
   */
  public static final List<String> OPTIONS =
      List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true");

  private BrokerJvm() {}
}
