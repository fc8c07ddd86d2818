package dev.weir.internal.task;

import static dev.weir.internal.metrics.MetricCatalogue.*;

import dev.weir.internal.metrics.MetricCatalogue.Def;
import dev.weir.internal.metrics.TaskMetricScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Percentile;
import org.apache.kafka.common.metrics.stats.Percentiles;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.common.metrics.stats.WindowedSum;

/**
 * Registers one stream thread's metrics ({@code MetricCatalogue}'s {@code thread-metrics}) in a
 * registry: totals read the thread's {@link TaskMetrics} counters at report time, rates and
 * latencies are sensors the thread records. {@link #close()} removes them all, when the thread
 * ends. Registration and removal are thread-safe (the registry synchronises).
 */
public final class ThreadMetrics implements AutoCloseable {
  // Percentile histograms cover 0 to this many ms (slower values land in the last bucket) with
  // linearly growing buckets, so the small values, the common ones, get the fine buckets.
  private static final double PROCESS_MAX_MS = 1_000;
  private static final double COMMIT_MAX_MS = 30_000;

  private final Metrics registry;
  private final String[] tags;
  private final List<MetricName> names = new ArrayList<>();
  private final List<String> sensors = new ArrayList<>();

  /**
   * A new scope for one of the thread's tasks; the task closes it.
   *
   * @param taskId the task's id
   * @return a new scope in this thread's registry
   */
  public TaskMetricScope taskScope(String taskId) {
    return new TaskMetricScope(registry, tags[0], tags[1], taskId);
  }

  private ThreadMetrics(Metrics registry, String clientId, String threadId) {
    this.registry = registry;
    this.tags = new String[] {clientId, threadId};
  }

  /**
   * Registers the metrics of one thread and binds its sensors to {@code metrics}.
   *
   * @param registry the instance's registry; not null
   * @param clientId the instance's client id; not null
   * @param threadId the thread's name; not null
   * @param metrics the thread's counters, bound to the new sensors; not null
   * @param restoreRemaining changelog records the thread still has to restore; read at report time,
   *     so it must be thread-safe
   * @return a handle whose {@link #close()} removes them
   */
  public static ThreadMetrics register(
      Metrics registry,
      String clientId,
      String threadId,
      TaskMetrics metrics,
      LongSupplier restoreRemaining) {
    ThreadMetrics t = new ThreadMetrics(registry, clientId, threadId);
    t.total(RECORDS_IN_TOTAL, metrics.recordsIn);
    t.total(RECORDS_OUT_TOTAL, metrics.recordsOut);
    t.total(COMMIT_TOTAL, metrics.commits);
    t.total(COMMITS_FORCED, metrics.forcedCommits);
    t.total(ROLLBACK_TOTAL, metrics.aborts);
    t.total(DESERIALIZATION_ERRORS, metrics.deserializationErrors);
    t.total(PROCESSING_ERRORS, metrics.processingErrors);
    t.total(RECORDS_SKIPPED, metrics.skippedRecords);
    t.total(DEAD_LETTER_TOTAL, metrics.deadLettered);
    t.total(LATE_DROPPED_TOTAL, metrics.lateRecordsDropped);
    t.total(RESTORE_RECORDS_TOTAL, metrics.restoredRecords);
    t.total(CHANGELOG_SENT_TOTAL, metrics.changelogRecordsSent);
    t.total(OFFSET_RESETS_TOTAL, metrics.offsetResets);
    t.total(PRODUCTION_SKIPPED_TOTAL, metrics.productionErrorsSkipped);
    t.total(PRODUCTION_DEAD_LETTERED_TOTAL, metrics.productionErrorsDeadLettered);
    t.total(ASYNC_REQUESTS_TOTAL, metrics.asyncRequests);
    t.total(ASYNC_IN_FLIGHT, metrics.asyncInFlight);
    t.total(ASYNC_TIMEOUTS_TOTAL, metrics.asyncTimeouts);
    t.total(ASYNC_RETRIES_TOTAL, metrics.asyncRetries);
    t.total(SINK_PRECOMMITS_TOTAL, metrics.sinkPreCommits);
    t.total(SINK_COMMITS_TOTAL, metrics.sinkCommits);
    t.total(SINK_RECOVERED_COMMITS_TOTAL, metrics.sinkRecoveredCommits);
    t.total(TASKS_CREATED_TOTAL, metrics.tasksCreated);
    t.total(TASKS_CLOSED_TOTAL, metrics.tasksClosed);
    t.total(TASKS_REVOKED_TOTAL, metrics.tasksRevoked);
    t.total(FENCED_DEPARTED_PRODUCERS_TOTAL, metrics.fencedDepartedProducers);
    t.gauge(RESTORE_TIME_TOTAL, () -> metrics.restoreTimeNanos.sum() / 1_000_000);
    t.gauge(RESTORE_REMAINING, restoreRemaining);
    t.gauge(STATE_CACHE_HITS_TOTAL, () -> metrics.stateCacheHits);
    t.gauge(STATE_CACHE_MISSES_TOTAL, () -> metrics.stateCacheMisses);
    t.ratio(
        STATE_CACHE_HIT_RATIO,
        () -> metrics.stateCacheHits,
        () -> metrics.stateCacheHits + metrics.stateCacheMisses);
    t.gauge(STATE_CACHE_FLUSHES_TOTAL, () -> metrics.stateCacheFlushes);
    t.gauge(STATE_CACHE_EVICTIONS_TOTAL, () -> metrics.stateCacheEvictions);
    t.gauge(STATE_CACHE_BYTES, () -> metrics.stateCacheBytes);
    t.ratio(CHANGELOG_PER_COMMIT, metrics.changelogRecordsSent::sum, metrics.commits::sum);
    t.total(STANDBY_RECORDS_TOTAL, metrics.standbyRecords);
    t.gauge(STANDBY_TASKS, metrics.standbyTasks::get);
    t.gauge(WARMUP_TASKS, metrics.warmupTasks::get);
    t.gauge(ALIGNMENT_PAUSED_PARTITIONS, metrics.alignmentPausedPartitions::get);
    Sensor process = t.latency("process-latency", PROCESS_LATENCY_AVG, PROCESS_LATENCY_MAX);
    t.percentile(process, PROCESS_MAX_MS, PROCESS_LATENCY_P99);
    Sensor commit = t.latency("commit-latency", COMMIT_LATENCY_AVG, COMMIT_LATENCY_MAX);
    t.percentile(commit, COMMIT_MAX_MS, COMMIT_LATENCY_P99);
    commit.add(COMMIT_RATE.metricName(t.tags), new Rate(new WindowedCount()));
    metrics.bind(
        process,
        commit,
        t.rate("records-in", RECORDS_IN_RATE),
        t.rate("records-out", RECORDS_OUT_RATE),
        t.rate("dead-letter", DEAD_LETTER_RATE));
    return t;
  }

  private void total(Def def, LongAdder counter) {
    gauge(def, counter::sum);
  }

  private void total(Def def, OwnerCounter counter) {
    gauge(def, counter::sum);
  }

  private void gauge(Def def, LongSupplier value) {
    MetricName n = def.metricName(tags);
    registry.addMetric(n, (Measurable) (config, now) -> value.getAsLong());
    names.add(n);
  }

  /** A gauge of {@code part / whole}, NaN while {@code whole} is 0. */
  private void ratio(Def def, LongSupplier part, LongSupplier whole) {
    MetricName n = def.metricName(tags);
    registry.addMetric(
        n,
        (Measurable)
            (config, now) -> {
              long w = whole.getAsLong();
              return w == 0 ? Double.NaN : (double) part.getAsLong() / w;
            });
    names.add(n);
  }

  private Sensor sensor(String suffix) {
    String name = "weir." + tags[0] + "." + tags[1] + "." + suffix;
    sensors.add(name);
    return registry.sensor(name);
  }

  private Sensor latency(String suffix, Def avg, Def max) {
    Sensor s = sensor(suffix);
    s.add(avg.metricName(tags), new Avg());
    s.add(max.metricName(tags), new Max());
    return s;
  }

  private void percentile(Sensor s, double maxMs, Def p99) {
    // Kafka's Percentiles: a windowed histogram; 1000 buckets of 4 bytes.
    s.add(
        new Percentiles(
            4 * 1000,
            maxMs,
            Percentiles.BucketSizing.LINEAR,
            new Percentile(p99.metricName(tags), 99)));
  }

  private Sensor rate(String suffix, Def rate) {
    Sensor s = sensor(suffix);
    s.add(rate.metricName(tags), new Rate(new WindowedSum()));
    return s;
  }

  /** Removes the thread's metrics and sensors from the registry. */
  @Override
  public void close() {
    sensors.forEach(registry::removeSensor);
    names.forEach(registry::removeMetric);
  }
}
