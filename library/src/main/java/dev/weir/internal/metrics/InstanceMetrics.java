package dev.weir.internal.metrics;

import static dev.weir.internal.metrics.MetricCatalogue.*;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;

/** Registers the instance-wide metrics ({@code instance-metrics}) of an application instance. */
public final class InstanceMetrics {
  private InstanceMetrics() {}

  /**
   * Registers the instance's gauges; each supplier is read at report time, from any thread.
   *
   * @param registry the instance's registry; not null
   * @param clientId the instance's client id; not null
   * @param state the instance's state name
   * @param aliveThreads stream threads alive now
   * @param tasks tasks running or restoring now
   * @param wipedStale task states wiped as too old to restore from
   * @param dirsCleaned task directories deleted by the state directory cleaner
   * @param peersRemoved peer instances this instance removed from the group (liveness)
   */
  public static void register(
      Metrics registry,
      String clientId,
      Supplier<String> state,
      LongSupplier aliveThreads,
      LongSupplier tasks,
      LongSupplier wipedStale,
      LongSupplier dirsCleaned,
      LongSupplier peersRemoved) {
    registry.addMetric(STATE.metricName(clientId), (Gauge<String>) (config, now) -> state.get());
    gauge(registry, ALIVE_THREADS, clientId, aliveThreads);
    gauge(registry, TASKS, clientId, tasks);
    gauge(registry, STATE_WIPED_STALE, clientId, wipedStale);
    gauge(registry, STATE_DIRS_CLEANED, clientId, dirsCleaned);
    gauge(registry, PEERS_REMOVED, clientId, peersRemoved);
  }

  private static void gauge(Metrics registry, Def def, String clientId, LongSupplier value) {
    registry.addMetric(def.metricName(clientId), (Measurable) (config, now) -> value.getAsLong());
  }
}
