package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zombie whose transactions hold no input offsets: a task that only fires processing-time timers
 * (no input after its first record) commits transactions of timer output and changelog records.
 * Instance A freezes inside a timer callback, with no transaction open, past its {@code
 * max.poll.interval.ms}; it leaves the group and B takes the task over, restores its count and
 * ticks on. Then A wakes up, finishes the tick and commits. Offsets are what make the group
 * coordinator check a member's generation (KIP-447), so A's transaction must carry one, and be
 * refused: otherwise the tick A emits is emitted by B too, and A's changelog record lands in the
 * partition B now writes.
 */
class TimerZombieIT {
  private static final long TICK_MS = 1_000;

  /** Set by the test; the freezable function waits on it in its next timer callback. */
  static volatile CountDownLatch release;

  static final CountDownLatch FROZEN = new CountDownLatch(1);

  @TempDir Path tmp;

  /** Ticks every second per key: output "key:n" with n counted in state. */
  static final class Ticker extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final boolean freezable;
    private transient ValueState<Long> ticks;

    Ticker(boolean freezable) {
      this.freezable = freezable;
    }

    @Override
    public void open() {
      ticks = getRuntimeContext().getState(new ValueStateDescriptor<>("ticks", Serdes.Long(), 0L));
    }

    @Override
    public void processElement(String value, Context ctx, Collector<String> out) {
      ctx.timerService()
          .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + TICK_MS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
        throws InterruptedException {
      CountDownLatch gate = release;
      if (freezable && gate != null) {
        FROZEN.countDown();
        assertThat(gate.await(2, TimeUnit.MINUTES)).as("released").isTrue();
      }
      long n = ticks.value() + 1;
      ticks.update(n);
      out.collect(ctx.getCurrentKey() + ":" + n);
      ctx.timerService()
          .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + TICK_MS);
    }
  }

  private static Topology ticker(boolean freezable) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("tz-in", Serdes.String()), "in")
        .keyBy(v -> v, Serdes.String(), Repartition.<String>named("by-key").withPartitions(1))
        .process(new Ticker(freezable))
        .uid("ticker")
        .sinkTo(KafkaSink.topic("tz-out", Serdes.String()));
    return b.build();
  }

  private static Map<String, Integer> duplicates(List<String> out) {
    Map<String, Integer> seen = new HashMap<>();
    out.forEach(v -> seen.merge(v, 1, Integer::sum));
    seen.values().removeIf(c -> c == 1);
    return seen;
  }

  @Test
  void aZombieCannotCommitTimerOutputAfterItsTaskMoved() {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("tz-in", 1);
      kafka.createTopic("tz-out", 1);
      Properties pa = Pipelines.appProps(bs, "timer-zombie", tmp.resolve("a"));
      // A frozen stream thread leaves the group after this long without a poll.
      pa.put("consumer." + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "4000");
      Properties pb = Pipelines.appProps(bs, "timer-zombie", tmp.resolve("b"));
      WeirApplication a = new WeirApplication(ticker(true), pa);
      WeirApplication b = new WeirApplication(ticker(false), pb);
      try {
        a.start();
        Pipelines.produce(bs, "tz-in", 0, 1, 1); // one key, one record: from then on only ticks
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> Pipelines.readCommitted(bs, "tz-out", 2, Duration.ofSeconds(2)).size() >= 2);

        release = new CountDownLatch(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> FROZEN.getCount() == 0);
        b.start();
        // B owns the task once it ticks: A was expelled, and B restored A's count.
        List<String> beforeWake =
            await()
                .atMost(Duration.ofSeconds(90))
                .until(
                    () -> Pipelines.readCommitted(bs, "tz-out", 1_000, Duration.ofSeconds(2)),
                    out -> out.size() >= 4 && b.metricsSnapshot().get("tasks") == 2L);
        assertThat(duplicates(beforeWake)).isEmpty();

        release.countDown();
        // A finishes its tick and tries to commit it: it must be refused and rolled back.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    a.metricsSnapshot().get("rollbacks") >= 1
                        || !duplicates(
                                Pipelines.readCommitted(bs, "tz-out", 1_000, Duration.ofSeconds(2)))
                            .isEmpty());
        int seen = Pipelines.readCommitted(bs, "tz-out", 1_000, Duration.ofSeconds(2)).size();
        List<String> out =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(
                    () -> Pipelines.readCommitted(bs, "tz-out", 1_000, Duration.ofSeconds(2)),
                    o -> o.size() >= seen + 2);
        assertThat(duplicates(out)).as("ticks emitted twice").isEmpty();
        assertThat(a.metricsSnapshot().get("rollbacks"))
            .as("the zombie's commit was refused")
            .isPositive();
        assertThat(b.state()).isEqualTo(ApplicationState.RUNNING);
      } finally {
        CountDownLatch r = release;
        if (r != null) {
          r.countDown();
        }
        a.close(Duration.ofSeconds(30));
        b.close(Duration.ofSeconds(30));
      }
    }
  }
}
