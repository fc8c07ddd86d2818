package dev.weir.perf;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What a contender's Kafka clients asked of the broker, from the clients' JMX metrics: requests,
 * fetches and produced records per client. Printed by {@link ContenderMain} before it stops the
 * contender, so a run's child log says why one contender costs the broker more CPU than another.
 */
final class ClientRequestCounts {
  private ClientRequestCounts() {}

  /** One line per client: its type, id and counters; empty when no client registered metrics. */
  static String describe() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, StringBuilder> lines = new TreeMap<>();
    try {
      for (ObjectName n : server.queryNames(new ObjectName("kafka.*:type=*,client-id=*"), null)) {
        String type = n.getKeyProperty("type");
        String client = n.getKeyProperty("client-id");
        if (n.getKeyPropertyList().size() != 2) {
          continue; // per node, topic or partition
        }
        String[] attributes =
            switch (type) {
              case "producer-metrics" ->
                  new String[] {
                    "request-total",
                    "record-send-total",
                    "batch-size-avg",
                    "record-retry-total",
                    // Where a transactional producer's caller waited (KIP-620), in ns.
                    "txn-begin-time-ns-total",
                    "txn-send-offsets-time-ns-total",
                    "txn-commit-time-ns-total"
                  };
              case "consumer-metrics" ->
                  new String[] {"request-total", "poll-idle-ratio-avg", "time-between-poll-avg"};
              case "admin-client-metrics" -> new String[] {"request-total"};
              case "consumer-fetch-manager-metrics" ->
                  new String[] {"fetch-total", "records-consumed-total", "fetch-size-avg"};
              default -> new String[0];
            };
        for (String a : attributes) {
          Object v;
          try {
            v = server.getAttribute(n, a);
          } catch (javax.management.AttributeNotFoundException e) {
            continue; // a client version without this metric
          }
          lines
              .computeIfAbsent(client, c -> new StringBuilder(c))
              .append(' ')
              .append(a)
              .append('=')
              .append(
                  v instanceof Double d
                      ? String.format(java.util.Locale.ROOT, d < 10 ? "%.3f" : "%.0f", d)
                      : v);
        }
      }
    } catch (Exception e) {
      return "client requests: not available: " + e;
    }
    StringBuilder out = new StringBuilder();
    lines.values().forEach(l -> out.append("client requests: ").append(l).append('\n'));
    return out.toString();
  }
}
