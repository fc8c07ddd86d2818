package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.eventtime.TimestampAssigner;
import dev.weir.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * Fetch alignment in the stream thread on Kafka's mock clients: three partitions of "in" read one
 * record per partition and poll (the rest is each partition's lag), event time taken from the value
 * ("name@millis"), a maximum drift of 10 s, and a keyBy behind them (so the three source tasks are
 * one alignment group; the harness runs only them and the test reads what they wrote). Each script
 * step notes which partitions the consumer has paused after the previous poll was processed, and
 * the thread's gauge.
 */
class FetchAlignmentThreadTest {
  private static final long DRIFT_MS = 10_000;

  /** The event time after the '@' of a value. */
  static final class AtMillis implements TimestampAssigner<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(String element, long recordTimestamp) {
      return Long.parseLong(element.substring(element.indexOf('@') + 1));
    }
  }

  private static WatermarkStrategy<String> eventTime() {
    return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
        .withTimestampAssigner(new AtMillis());
  }

  private static ThreadHarness harness(WatermarkStrategy<String> strategy, long driftMs) {
    ThreadHarness h =
        new ThreadHarness(
            true,
            5,
            3,
            strategy,
            // keyBy: the source tasks write a repartition topic, so their partitions are one
            // alignment group (the harness runs only them: sub-topology 0).
            s -> s.keyBy(v -> v.substring(0, 1), Serdes.String()).map(v -> v),
            Map.of(WeirConfig.WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG, driftMs));
    h.maxPollRecordsPerPartition = 1;
    return h;
  }

  /** Adds {@code steps} script steps that note the paused partitions and the gauge. */
  private static List<String> observe(ThreadHarness h, int steps) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      h.script.add(
          () -> {
            List<String> paused = new ArrayList<>();
            new TreeSet<>(h.consumer.paused().stream().map(Object::toString).toList())
                .forEach(paused::add);
            seen.add(paused + " gauge " + h.thread.metrics().alignmentPausedPartitions.get());
          });
    }
    return seen;
  }

  private static void appendSkewed(ThreadHarness h) {
    h.append(0, "a@1000", "a@10000", "a@15000");
    h.append(1, "b@20000", "b@21000", "b@22000");
    h.append(2, "c@5000", "c@6000", "c@40000");
  }

  @Test
  void partitionsAheadOfTheSlowestOneWithABacklogPauseUntilItCatchesUp() {
    ThreadHarness h = harness(eventTime(), DRIFT_MS);
    appendSkewed(h);
    h.script.add(() -> h.rebalanceTo(0, 1, 2));
    List<String> seen = observe(h, 5);

    h.run();

    assertThat(h.failures).isEmpty();
    assertThat(seen)
        .containsExactly(
            // poll 1: a@1000 b@20000 c@5000. Slowest with a backlog: in-0 at 1000; in-1 is more
            // than 10 s ahead.
            "[in-1] gauge 1",
            // poll 2: a@10000 c@6000. Slowest: in-2 at 6000, so in-1 (20000) stays paused.
            "[in-1] gauge 1",
            // poll 3: a@15000 c@40000. in-0 and in-2 are at their ends and hold nothing back; in-1
            // (20000, two records behind) is the slowest and resumes; in-2 is 20 s ahead of it.
            "[in-2] gauge 1",
            // poll 4: b@21000.
            "[in-2] gauge 1",
            // poll 5: b@22000. Every partition is at its end: nothing holds anything back.
            "[] gauge 0");
    assertThat(h.sent())
        .containsExactly(
            "a@1000", "b@20000", "c@5000", "a@10000", "c@6000", "a@15000", "c@40000", "b@21000",
            "b@22000");
  }

  @Test
  void withAlignmentOffNothingIsPausedAndOnlyTheInterleavingDiffers() {
    ThreadHarness off = harness(eventTime(), 0);
    appendSkewed(off);
    off.script.add(() -> off.rebalanceTo(0, 1, 2));
    List<String> seen = observe(off, 3);

    off.run();

    assertThat(off.failures).isEmpty();
    assertThat(seen).containsExactly("[] gauge 0", "[] gauge 0", "[] gauge 0");
    assertThat(off.sent())
        .containsExactly(
            "a@1000", "b@20000", "c@5000", "a@10000", "b@21000", "c@6000", "a@15000", "b@22000",
            "c@40000");
    // The same records, each partition in its own order, as with alignment on (the test above).
    ThreadHarness on = harness(eventTime(), DRIFT_MS);
    appendSkewed(on);
    on.script.add(() -> on.rebalanceTo(0, 1, 2));
    observe(on, 5);
    on.run();
    assertThat(on.sent()).containsExactlyInAnyOrderElementsOf(off.sent());
    for (String p : List.of("a", "b", "c")) {
      assertThat(on.sent().stream().filter(v -> v.startsWith(p)).toList())
          .isEqualTo(off.sent().stream().filter(v -> v.startsWith(p)).toList());
    }
  }

  @Test
  void anEmptyOrCaughtUpPartitionNeverHoldsTheOthersBack() {
    ThreadHarness h = harness(eventTime(), DRIFT_MS);
    // in-0 is empty; in-1 has one early record and then is at its end; in-2 is far ahead.
    h.append(1, "b@1000");
    h.append(2, "c@50000", "c@60000", "c@70000");
    h.script.add(() -> h.rebalanceTo(0, 1, 2));
    List<String> seen = observe(h, 3);

    h.run();

    assertThat(h.failures).isEmpty();
    assertThat(seen).containsExactly("[] gauge 0", "[] gauge 0", "[] gauge 0");
    assertThat(h.sent()).containsExactly("b@1000", "c@50000", "c@60000", "c@70000");
  }

  @Test
  void aPausedPartitionResumesWhenTheSlowOneStopsHoldingWithoutCatchingUpInEventTime() {
    ThreadHarness h = harness(eventTime(), DRIFT_MS);
    // in-0 stays at 1000 in event time to its end: once there, it holds nothing back any more.
    h.append(0, "a@1000", "a@1000");
    h.append(1, "b@30000", "b@31000", "b@32000");
    h.script.add(() -> h.rebalanceTo(0, 1));
    List<String> seen = observe(h, 3);

    h.run();

    assertThat(h.failures).isEmpty();
    assertThat(seen).containsExactly("[in-1] gauge 1", "[] gauge 0", "[] gauge 0");
    assertThat(h.sent()).containsExactly("a@1000", "b@30000", "a@1000", "b@31000", "b@32000");
  }

  @Test
  void tasksWhoseEventTimeNeverMeetsDownstreamAreNotAligned() {
    // No keyBy: each task reads one partition and writes straight to "out", so its watermark is
    // its partition's alone; pausing one task for another would gain nothing.
    ThreadHarness h =
        new ThreadHarness(
            true,
            5,
            3,
            eventTime(),
            s -> s.map(v -> v),
            Map.of(WeirConfig.WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG, DRIFT_MS));
    h.maxPollRecordsPerPartition = 1;
    appendSkewed(h);
    h.script.add(() -> h.rebalanceTo(0, 1, 2));
    List<String> seen = observe(h, 3);

    h.run();

    assertThat(h.failures).isEmpty();
    assertThat(seen).containsExactly("[] gauge 0", "[] gauge 0", "[] gauge 0");
    assertThat(h.output()).hasSize(9);
  }

  @Test
  void sourcesWithoutWatermarksAreNotAligned() {
    ThreadHarness h = harness(WatermarkStrategy.noWatermarks(), DRIFT_MS);
    appendSkewed(h);
    h.script.add(() -> h.rebalanceTo(0, 1, 2));
    List<String> seen = observe(h, 3);

    h.run();

    assertThat(seen).containsExactly("[] gauge 0", "[] gauge 0", "[] gauge 0");
    assertThat(h.sent()).hasSize(9);
  }

  @Test
  void aRevokedPausedPartitionComesBackUnpausedAndTheGaugeForgetsIt() {
    ThreadHarness h = harness(eventTime(), DRIFT_MS);
    appendSkewed(h);
    h.script.add(() -> h.rebalanceTo(0, 1, 2));
    List<String> seen = new ArrayList<>();
    Runnable note =
        () ->
            seen.add(
                new TreeSet<>(h.consumer.paused().stream().map(Object::toString).toList())
                    + " gauge "
                    + h.thread.metrics().alignmentPausedPartitions.get());
    h.script.add(
        () -> {
          note.run(); // in-1 paused after poll 1
          h.rebalanceTo(0, 2); // in-1 goes while paused
          note.run();
        });
    h.script.add(
        () -> {
          note.run(); // poll 2 read a@10000 and c@6000; nothing ahead
          h.rebalanceTo(0, 1, 2); // in-1 comes back at its committed offset
          note.run();
        });
    h.script.add(note);

    h.run();

    assertThat(h.failures).isEmpty();
    assertThat(seen)
        .containsExactly(
            "[in-1] gauge 1",
            "[] gauge 0",
            "[] gauge 0",
            "[] gauge 0",
            // poll 3 read a@15000, b@21000 (in-1 resumes after b@20000, committed when it was
            // revoked; its new task starts without event time) and c@40000: in-1 alone has a
            // backlog, and in-2 is 19 s ahead of it.
            "[in-2] gauge 1");
  }
}
