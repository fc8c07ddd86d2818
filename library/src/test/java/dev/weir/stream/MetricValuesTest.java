package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.RichFilterFunction;
import dev.weir.metrics.Counter;
import dev.weir.metrics.Histogram;
import dev.weir.metrics.Meter;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Every metric's value after a known test-driver run. */
class MetricValuesTest {
  /** Drops values of key x; counts what it saw in user metrics. */
  static final class DropX extends RichFilterFunction<String> {
    private static final long serialVersionUID = 1L;
    private transient Counter dropped;
    private transient Histogram lengths;
    private transient Meter events;
    private transient volatile int last;

    @Override
    public void open() {
      dropped = getRuntimeContext().getMetricGroup().counter("droppedElements");
      lengths = getRuntimeContext().getMetricGroup().addGroup("sizes").histogram("valueLength");
      events = getRuntimeContext().getMetricGroup().meter("events");
      getRuntimeContext().getMetricGroup().gauge("lastLength", () -> last);
    }

    @Override
    public boolean filter(String v) {
      events.markEvent();
      lengths.update(v.length());
      last = v.length();
      if (v.startsWith("x:")) {
        dropped.inc();
        return false;
      }
      return true;
    }
  }

  @Test
  void everyMetricHasItsValueAfterAKnownRun() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            "in")
        .filter(new DropX())
        .name("drop-x")
        .map(
            v -> {
              if (v.endsWith(":boom")) {
                throw new IllegalStateException("boom");
              }
              return v;
            })
        .name("check")
        .returns(Serdes.String())
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
        .aggregate(new WindowsTest.Count(), Serdes.Long(), new WindowsTest.Describe<>())
        .uid("w")
        .name("count")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    b.fromSource(KafkaSource.topic("nums", Serdes.Integer()), "nums")
        .map(i -> "n" + i)
        .name("show")
        .sinkTo(KafkaSink.topic("nums-out", Serdes.String()));
    Map<String, String> props =
        Map.of(
            WeirConfig.PROCESSING_HANDLER_CONFIG, "dead_letter",
            WeirConfig.DESERIALIZATION_HANDLER_CONFIG, "dead_letter");
    try (Driver d = new Driver(b, props)) {
      // Processing time stays 0: every rate is a count over the registry's 30 s minimum window.
      d.pipe("in", "a:1", 1);
      d.pipe("in", "a:2", 5);
      d.pipe("in", "x:1", 6); // dropped by the filter (droppedElements)
      d.pipe("in", "b:1", 9);
      d.pipe("in", "a:boom", 9); // the map throws: dead-lettered
      d.pipe("in", "a:3", 12); // watermark 11 fires [0,10): a=2, b=1
      d.pipe("in", "a:4", 3); // too late for [0,10), no late side output: dropped
      d.core.pipe("nums", null, new byte[] {0, 0, 0, 7}, 20, null);
      d.core.pipe("nums", null, new byte[] {1}, 21, null); // not an int: dead-lettered
      assertThat(d.values("out")).containsExactly("a[0,10)=2", "b[0,10)=1");
      assertThat(d.values("nums-out")).containsExactly("n7");

      Map<String, Object> actual = new TreeMap<>();
      d.core
          .metricRegistry()
          .metrics()
          .forEach(
              (n, m) -> {
                if (!n.group().equals("kafka-metrics-count")) { // the registry's own
                  assertThat(n.tags())
                      .containsEntry("client-id", "test-driver-driver")
                      .containsEntry("thread-id", "driver");
                  actual.put(key(n), m.metricValue());
                }
              });
      Map<String, Object> e = new TreeMap<>();
      // Task 0_0 reads in (7 records); 1_0 reads the repartition topic: the 5 records that passed
      // filter and map, and 5 watermark markers (the watermark moved to 0, 4, 5, 8 and 11); 2_0
      // reads nums. The driver's processing time is 0, so event-time lag is 0 - 11.
      // Sampled process latencies (1 record in 16) and commit latencies are 0: the driver's clock
      // stands still while it processes and commits. 9 commits: one per piped record.
      // state: a's open window [10,20) holds its accumulator and its cleanup timer.
      e.put("input-metrics/watermark-idle{input=in-0, task-id=0_0}", 0.0);
      e.put(
          "input-metrics/watermark-idle{input=test-driver-check-keyBy-repartition-0/upstream-0, task-id=1_0}",
          0.0);
      e.put("input-metrics/watermark{input=in-0, task-id=0_0}", 11.0);
      e.put(
          "input-metrics/watermark{input=test-driver-check-keyBy-repartition-0/upstream-0, task-id=1_0}",
          11.0);
      e.put("operator-metrics/late-records-dropped-total{operator=count, task-id=1_0}", 1.0);
      e.put("state-metrics/estimate-num-keys{store=w, task-id=1_0}", 2.0);
      e.put("state-metrics/live-data-size-bytes{store=w, task-id=1_0}", 86.0);
      e.put("task-metrics/event-time-lag-ms{task-id=0_0}", -11.0);
      e.put("task-metrics/event-time-lag-ms{task-id=1_0}", -11.0);
      e.put("task-metrics/records-in-rate{task-id=0_0}", 7 / 30.0);
      e.put("task-metrics/records-in-rate{task-id=1_0}", 10 / 30.0);
      e.put("task-metrics/records-in-rate{task-id=2_0}", 2 / 30.0);
      e.put("task-metrics/records-in-total{task-id=0_0}", 7.0);
      e.put("task-metrics/records-in-total{task-id=1_0}", 10.0);
      e.put("task-metrics/records-in-total{task-id=2_0}", 2.0);
      e.put("task-metrics/watermark-idle{task-id=0_0}", 0.0);
      e.put("task-metrics/watermark-idle{task-id=1_0}", 0.0);
      e.put("task-metrics/watermark{task-id=0_0}", 11.0);
      e.put("task-metrics/watermark{task-id=1_0}", 11.0);
      e.put("thread-metrics/alignment-paused-partitions{}", 0.0);
      e.put("thread-metrics/async-in-flight{}", 0.0);
      e.put("thread-metrics/async-requests-total{}", 0.0);
      e.put("thread-metrics/async-retries-total{}", 0.0);
      e.put("thread-metrics/async-timeouts-total{}", 0.0);
      e.put("thread-metrics/changelog-records-per-commit{}", 11 / 9.0);
      e.put("thread-metrics/changelog-records-sent-total{}", 11.0);
      e.put("thread-metrics/commit-latency-avg{}", 0.0);
      e.put("thread-metrics/commit-latency-max{}", 0.0);
      e.put("thread-metrics/commit-latency-p99{}", 0.0);
      e.put("thread-metrics/commit-rate{}", 9 / 30.0);
      e.put("thread-metrics/commit-total{}", 9.0);
      e.put("thread-metrics/commits-forced-total{}", 0.0);
      e.put("thread-metrics/dead-letter-records-rate{}", 2 / 30.0);
      e.put("thread-metrics/dead-letter-records-total{}", 2.0);
      e.put("thread-metrics/deserialization-errors-total{}", 1.0);
      e.put("thread-metrics/fenced-departed-producers-total{}", 0.0);
      e.put("thread-metrics/late-records-dropped-total{}", 1.0);
      e.put("thread-metrics/offset-resets-total{}", 0.0);
      e.put("thread-metrics/process-latency-avg{}", 0.0);
      e.put("thread-metrics/process-latency-max{}", 0.0);
      e.put("thread-metrics/process-latency-p99{}", 0.0);
      e.put("thread-metrics/processing-errors-total{}", 1.0);
      e.put("thread-metrics/production-errors-dead-lettered-total{}", 0.0);
      e.put("thread-metrics/production-errors-skipped-total{}", 0.0);
      e.put("thread-metrics/records-in-rate{}", 19 / 30.0);
      e.put("thread-metrics/records-in-total{}", 19.0);
      e.put("thread-metrics/records-out-rate{}", 3 / 30.0);
      e.put("thread-metrics/records-out-total{}", 3.0);
      e.put("thread-metrics/records-skipped-total{}", 0.0);
      e.put("thread-metrics/restore-records-total{}", 0.0);
      e.put("thread-metrics/restore-remaining-records{}", 0.0);
      e.put("thread-metrics/restore-time-ms-total{}", 0.0);
      e.put("thread-metrics/rollback-total{}", 0.0);
      e.put("thread-metrics/sink-commits-total{}", 0.0);
      e.put("thread-metrics/sink-precommits-total{}", 0.0);
      e.put("thread-metrics/sink-recovered-commits-total{}", 0.0);
      // The stream thread publishes its cache's counters after each commit; the driver does not.
      e.put("thread-metrics/state-cache-bytes{}", 0.0);
      e.put("thread-metrics/state-cache-evictions-total{}", 0.0);
      e.put("thread-metrics/state-cache-flushes-total{}", 0.0);
      e.put("thread-metrics/state-cache-hit-ratio{}", Double.NaN);
      e.put("thread-metrics/state-cache-hits-total{}", 0.0);
      e.put("thread-metrics/state-cache-misses-total{}", 0.0);
      e.put("thread-metrics/standby-records-total{}", 0.0);
      e.put("thread-metrics/standby-tasks{}", 0.0);
      e.put("thread-metrics/tasks-closed-total{}", 0.0);
      e.put("thread-metrics/tasks-created-total{}", 0.0);
      e.put("thread-metrics/tasks-revoked-total{}", 0.0);
      e.put("thread-metrics/warmup-tasks{}", 0.0);
      e.put("user-metrics/droppedElements{operator=drop-x, scope=, task-id=0_0}", 1.0);
      e.put("user-metrics/events-rate{operator=drop-x, scope=, task-id=0_0}", 7 / 30.0);
      e.put("user-metrics/events-total{operator=drop-x, scope=, task-id=0_0}", 7.0);
      e.put("user-metrics/lastLength{operator=drop-x, scope=, task-id=0_0}", 3);
      e.put("user-metrics/valueLength-count{operator=drop-x, scope=sizes, task-id=0_0}", 7.0);
      e.put("user-metrics/valueLength-max{operator=drop-x, scope=sizes, task-id=0_0}", 6.0);
      e.put("user-metrics/valueLength-mean{operator=drop-x, scope=sizes, task-id=0_0}", 24 / 7.0);
      e.put("user-metrics/valueLength-min{operator=drop-x, scope=sizes, task-id=0_0}", 3.0);
      e.put("user-metrics/valueLength-p50{operator=drop-x, scope=sizes, task-id=0_0}", 3.0);
      e.put("user-metrics/valueLength-p95{operator=drop-x, scope=sizes, task-id=0_0}", 6.0);
      e.put("user-metrics/valueLength-p99{operator=drop-x, scope=sizes, task-id=0_0}", 6.0);
      assertThat(actual).containsExactlyEntriesOf(e);
      // Every metric outside user-metrics is one of the catalogue's.
      java.util.Set<String> catalogue = new java.util.HashSet<>();
      dev.weir.internal.metrics.MetricCatalogue.all()
          .forEach(m -> catalogue.add(m.group() + "/" + m.name()));
      d.core
          .metricRegistry()
          .metrics()
          .keySet()
          .forEach(
              n -> {
                if (!n.group().equals("user-metrics") && !n.group().equals("kafka-metrics-count")) {
                  assertThat(catalogue).contains(n.group() + "/" + n.name());
                }
              });
      assertThat(d.core.storeBytes("w")).isEqualTo(86);
      // The flat snapshot reads the same counters.
      assertThat(d.core.counters())
          .containsEntry("records-in", 19L)
          .containsEntry("records-out", 3L)
          .containsEntry("records-dead-lettered", 2L)
          .containsEntry("commits", 9L);
    }
  }

  static String key(MetricName n) {
    Map<String, String> t = new TreeMap<>(n.tags());
    t.remove("client-id");
    t.remove("thread-id");
    return n.group() + "/" + n.name() + t;
  }
}
