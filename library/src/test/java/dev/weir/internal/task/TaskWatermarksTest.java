package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TaskWatermarksTest {
  @Test
  void markerGoldenBytes() {
    byte[] m = MarkerFormat.encode(3, 0x0102030405060708L, true);
    assertThat(HexFormat.of().formatHex(m)).isEqualTo("0100000003010203040506070801");
    assertThat(MarkerFormat.decode(m))
        .isEqualTo(new MarkerFormat.Marker(3, 0x0102030405060708L, true));
  }

  @Test
  void taskWatermarkIsTheMinimumOverActiveInputsAndNeverGoesBack() {
    TaskWatermarks w = new TaskWatermarks();
    w.addUpstream("r", 2);
    w.onMarker("r", new MarkerFormat.Marker(0, 100, false));
    assertThat(w.advance(0, t -> false)).isFalse(); // task 1 has not spoken: still MIN
    w.onMarker("r", new MarkerFormat.Marker(1, 50, false));
    assertThat(w.advance(0, t -> false)).isTrue();
    assertThat(w.watermark()).isEqualTo(50);
    w.onMarker("r", new MarkerFormat.Marker(1, 40, false)); // an older marker: ignored
    w.advance(0, t -> false);
    assertThat(w.watermark()).isEqualTo(50);
    w.onMarker("r", new MarkerFormat.Marker(1, 70, true)); // idle: no longer holds it back
    w.advance(0, t -> false);
    assertThat(w.watermark()).isEqualTo(100);
    assertThat(w.idle()).isFalse();
  }

  @Test
  void eventTimeIsExpectedFromAGeneratingSourceOrOnceAnUpstreamTaskSentAMarker() {
    TaskWatermarks downstream = new TaskWatermarks();
    downstream.addUpstream("r", 2);
    // A keyBy behind sources without watermarks: no marker ever comes, nothing can stall.
    assertThat(downstream.tracksEventTime()).isTrue();
    assertThat(downstream.expectsEventTime()).isFalse();
    downstream.onMarker("r", new MarkerFormat.Marker(1, 10, false));
    assertThat(downstream.expectsEventTime()).isTrue();

    TaskWatermarks noWatermarks = new TaskWatermarks();
    noWatermarks.addSource("in", WatermarkStrategy.noWatermarks(), "in");
    assertThat(noWatermarks.expectsEventTime()).isFalse();
    TaskWatermarks generating = new TaskWatermarks();
    generating.addSource("in", WatermarkStrategy.forBoundedOutOfOrderness(Duration.ZERO), "in");
    assertThat(generating.expectsEventTime()).isTrue();

    // A new owner restoring the committed state of an input that had heard markers expects them.
    TaskWatermarks before = new TaskWatermarks();
    before.addUpstream("r", 2);
    before.onMarker("r", new MarkerFormat.Marker(0, 300, false));
    TaskWatermarks after = new TaskWatermarks();
    after.addUpstream("r", 2);
    after.restore("r", before.encode("r"));
    assertThat(after.expectsEventTime()).isTrue();
  }

  @Test
  void whenEveryInputIsIdleTheTaskMovesToTheLargestWatermarkReached() {
    TaskWatermarks w = new TaskWatermarks();
    w.addUpstream("r", 3);
    w.onMarker("r", new MarkerFormat.Marker(0, 100, true));
    w.onMarker("r", new MarkerFormat.Marker(1, 300, true));
    w.onMarker("r", new MarkerFormat.Marker(2, Long.MIN_VALUE, true));
    assertThat(w.advance(0, t -> false)).isTrue();
    assertThat(w.idle()).isTrue();
    assertThat(w.watermark()).isEqualTo(300);
  }

  @Test
  void committedStateRestoresWatermarksSoTheyNeverGoBackwards() {
    TaskWatermarks before = new TaskWatermarks();
    before
        .addSource("in", WatermarkStrategy.forBoundedOutOfOrderness(Duration.ZERO), "in")
        .onRecord("x", 1000);
    before.addUpstream("r", 2);
    before.onMarker("r", new MarkerFormat.Marker(0, 300, false));
    before.onMarker("r", new MarkerFormat.Marker(1, 200, true));
    before.advance(0, t -> false);
    assertThat(before.watermark()).isEqualTo(300);

    TaskWatermarks after = new TaskWatermarks();
    after.addSource("in", WatermarkStrategy.forBoundedOutOfOrderness(Duration.ZERO), "in");
    after.addUpstream("r", 2);
    after.restore("in", before.encode("in"));
    after.restore("r", before.encode("r"));
    assertThat(after.watermark()).isEqualTo(300);
    // A replayed record older than the restored watermark does not move it back.
    after.addSource("in", WatermarkStrategy.forBoundedOutOfOrderness(Duration.ZERO), "in");
    after.advance(0, t -> false);
    assertThat(after.watermark()).isEqualTo(300);
    assertThat(before.encode("r")).isEqualTo("w1:u:300/0,200/1");
    assertThat(before.encode("in")).isEqualTo("w1:s:999:0");
  }

  @Test
  void aSourcePartitionIsIdleOnlyWhenQuietAndCaughtUp() {
    TaskWatermarks w = new TaskWatermarks();
    TaskWatermarks.SourceInput<String> a =
        w.addSource(
            "a",
            WatermarkStrategy.<String>forMonotonousTimestamps().withIdleness(Duration.ofSeconds(1)),
            "a");
    w.addSource("b", WatermarkStrategy.forMonotonousTimestamps(), "b").onRecord("y", 5000);
    a.onRecord("x", 100);
    w.advance(0, t -> false);
    assertThat(w.watermark()).isEqualTo(99);
    w.advance(5000, t -> false); // quiet for 5 s, but a backlog remains: still active
    assertThat(w.watermark()).isEqualTo(99);
    w.advance(5000, t -> true); // quiet and at the end: idle
    assertThat(w.watermark()).isEqualTo(4999);
  }
}
