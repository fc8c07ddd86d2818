package dev.weir.eventtime;

/** Where a {@link WatermarkGenerator} emits watermarks. Implemented by the library. */
public interface WatermarkOutput {
  /**
   * Emits a watermark. A watermark lower than the partition's current one is ignored: watermarks
   * never go backwards. Emitting also marks the partition active again.
   *
   * @param watermark no records with timestamp {@code <= watermark} are expected any more
   */
  void emitWatermark(long watermark);

  /**
   * Marks the partition idle: it is left out of the task's watermark until it emits again.
   * Generators rarely call this; {@link WatermarkStrategy#withIdleness} does it for them.
   */
  void markIdle();
}
