package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.eventtime.WatermarkStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Event time of a task with several inputs, and the committed format that keeps it. */
class TaskWatermarksInputsTest {
  private static TaskWatermarks twoUpstreamInputs() {
    TaskWatermarks w = new TaskWatermarks();
    w.addUpstream(0, "r0", 2);
    w.addUpstream(1, "r1", 1);
    return w;
  }

  @Test
  void theTaskWatermarkIsTheMinimumOverActiveInputs() {
    TaskWatermarks w = twoUpstreamInputs();
    w.onMarker("r0", new MarkerFormat.Marker(0, 500, false));
    w.onMarker("r0", new MarkerFormat.Marker(1, 300, false));
    w.onMarker("r1", new MarkerFormat.Marker(0, 100, false));
    assertThat(w.advance(0, t -> false)).isTrue();
    assertThat(w.inputCount()).isEqualTo(2);
    assertThat(w.inputWatermark(0)).isEqualTo(300);
    assertThat(w.inputWatermark(1)).isEqualTo(100);
    assertThat(w.watermark()).isEqualTo(100);

    // Input 1 idle: it no longer holds the task back; input 0 alone decides.
    w.onMarker("r1", new MarkerFormat.Marker(0, 150, true));
    w.advance(0, t -> false);
    assertThat(w.inputIdle(1)).isTrue();
    assertThat(w.idle()).isFalse();
    assertThat(w.watermark()).isEqualTo(300);

    // Input 1 active again behind the task: neither watermark goes back.
    w.onMarker("r1", new MarkerFormat.Marker(0, 200, false));
    w.advance(0, t -> false);
    assertThat(w.inputWatermark(1)).isEqualTo(200);
    assertThat(w.watermark()).isEqualTo(300);
    assertThat(w.holdingInput(4)).isEqualTo("input 2 of 2: upstream task 0 of r1-4 at 200");

    // Both idle: the task is idle and moves to the largest watermark reached.
    w.onMarker("r0", new MarkerFormat.Marker(0, 700, true));
    w.onMarker("r0", new MarkerFormat.Marker(1, 600, true));
    w.onMarker("r1", new MarkerFormat.Marker(0, 250, true));
    w.advance(0, t -> false);
    assertThat(w.idle()).isTrue();
    assertThat(w.watermark()).isEqualTo(700);
  }

  @Test
  void committedFormatIsVersionOneUnlessTheChannelsAloneWouldRestoreLess() {
    TaskWatermarks w = new TaskWatermarks();
    TaskWatermarks.SourceInput<String> left =
        w.addSource(0, "left", WatermarkStrategy.forMonotonousTimestamps(), "left");
    TaskWatermarks.SourceInput<String> right =
        w.addSource(
            1,
            "right",
            WatermarkStrategy.<String>forMonotonousTimestamps().withIdleness(Duration.ofMillis(10)),
            "right");
    left.onRecord("x", 1000);
    right.onRecord("y", 100);
    w.advance(0, t -> false);
    assertThat(w.encode("left")).isEqualTo("w1:s:999:0");
    assertThat(w.encode("right")).isEqualTo("w1:s:99:0");

    w.advance(50, t -> true); // right idle: the task follows left
    assertThat(w.watermark()).isEqualTo(999);
    // A restore treats sources as active, so min(999, 99) would come back: but only the task's
    // watermark is above what the channels give; each input's own is not.
    assertThat(w.encode("left")).isEqualTo("w2:999:999:s:999:0");
    assertThat(w.encode("right")).isEqualTo("w2:999:99:s:99:1");

    TaskWatermarks after = new TaskWatermarks();
    after.addSource(0, "left", WatermarkStrategy.forMonotonousTimestamps(), "left");
    after.addSource(1, "right", WatermarkStrategy.forMonotonousTimestamps(), "right");
    after.restore("right", "w2:999:99:s:99:1");
    assertThat(after.watermark()).isEqualTo(999);
    after.restore("left", "w2:999:999:s:999:0");
    assertThat(after.watermark()).isEqualTo(999);
    assertThat(after.inputWatermark(0)).isEqualTo(999);
    assertThat(after.inputWatermark(1)).isEqualTo(99);
  }

  @Test
  void versionOneStateOfAnOlderWeirStillRestores() {
    TaskWatermarks w = twoUpstreamInputs();
    w.restore("r0", "w1:u:400/0,350/0");
    w.restore("r1", "w1:u:700/0");
    assertThat(w.watermark()).isEqualTo(350);
    assertThat(MarkerFormat.withoutFloor("w1:u:400/0,350/0")).isEqualTo("w1:u:400/0,350/0");
    assertThat(MarkerFormat.decodeFloor("w1:u:400/0,350/0")).isNull();
    assertThat(MarkerFormat.decodeFloor("w2:-5:-9223372036854775808:u:1/0"))
        .containsExactly(-5, Long.MIN_VALUE);
    assertThat(MarkerFormat.withoutFloor("w2:-5:-9223372036854775808:u:1/0")).isEqualTo("w1:u:1/0");
  }

  @Test
  void metadataOfANewerVersionIsRefusedAndForeignMetadataIgnored() {
    TaskWatermarks w = twoUpstreamInputs();
    assertThatThrownBy(() -> w.restore("r0", "w3:1:2:u:1/0,1/0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Committed event-time state in unknown format 'w3': an instance of a newer Weir"
                + " committed these offsets; roll all instances to one version");
    w.restore("r0", "committed by a tool");
    assertThat(w.watermark()).isEqualTo(Long.MIN_VALUE);
  }
}
