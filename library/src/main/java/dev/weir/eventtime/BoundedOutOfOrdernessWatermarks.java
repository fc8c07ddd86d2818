package dev.weir.eventtime;

import java.time.Duration;

/**
 * The usual periodic generator: the watermark trails the largest timestamp seen by the allowed
 * out-of-orderness, {@code max - outOfOrderness - 1}, so a record up to {@code outOfOrderness}
 * behind the largest one is still on time.
 *
 * @param <T> the records' type
 */
public class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private final long outOfOrdernessMillis;
  private long maxTimestamp;

  /**
   * Creates the generator.
   *
   * @param outOfOrderness how far behind the largest timestamp a record may arrive; not negative
   */
  public BoundedOutOfOrdernessWatermarks(Duration outOfOrderness) {
    if (outOfOrderness.isNegative()) {
      throw new IllegalArgumentException("outOfOrderness must not be negative: " + outOfOrderness);
    }
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
  }

  @Override
  public void onEvent(T event, long timestamp, WatermarkOutput output) {
    maxTimestamp = Math.max(maxTimestamp, timestamp);
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(maxTimestamp - outOfOrdernessMillis - 1);
  }
}
