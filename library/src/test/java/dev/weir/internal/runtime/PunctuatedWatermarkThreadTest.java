package dev.weir.internal.runtime;

import static dev.weir.internal.runtime.ThreadHarness.COMMIT_INTERVAL_MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.eventtime.WatermarkGenerator;
import dev.weir.eventtime.WatermarkGeneratorSupplier;
import dev.weir.eventtime.WatermarkOutput;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.ProcessFunction;
import org.junit.jupiter.api.Test;

/**
 * End to end through the stream thread and its producer (Kafka's mock clients): a punctuated
 * watermark takes effect before the next record of the same poll, not at the next {@code
 * watermark.interval.ms} tick (the harness's clock does not move between the records, so no tick
 * falls between them). The committed output shows the watermark each record saw, in order.
 */
class PunctuatedWatermarkThreadTest {
  /** Emits "timestamp - 1" after each record whose value starts with '!'; nothing periodic. */
  static final class Punctuated implements WatermarkGenerator<String> {
    @Override
    public void onEvent(String event, long timestamp, WatermarkOutput output) {
      if (event.startsWith("!")) {
        output.emitWatermark(timestamp - 1);
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
  }

  /** Creates {@link Punctuated} generators (a class: a serialisable lambda would warn). */
  static final class PunctuatedSupplier implements WatermarkGeneratorSupplier<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<String> createWatermarkGenerator() {
      return new Punctuated();
    }
  }

  /** "value wm watermark": what event time each record saw. */
  static final class SeenWatermark extends ProcessFunction<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      out.collect(v + " wm " + ctx.currentWatermark());
    }
  }

  @Test
  void theRecordAfterAPunctuatedWatermarkSeesItInTheSamePoll() {
    ThreadHarness h =
        new ThreadHarness(
            true,
            5,
            WatermarkStrategy.forGenerator(new PunctuatedSupplier()),
            in -> in.process(new SeenWatermark()));
    // Timestamps are 1000 + offset: "!" at 1001 emits watermark 1000.
    h.append("a", "!", "c", "d");
    h.script.add(h::assign); // all four records arrive in this one poll
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));

    h.run();

    assertThat(h.failures).isEmpty();
    assertThat(h.output())
        .containsExactly(
            "a wm " + Long.MIN_VALUE, "! wm " + Long.MIN_VALUE, "c wm 1000", "d wm 1000");
  }
}
