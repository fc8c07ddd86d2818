package dev.weir.eventtime;

/**
 * Generates watermarks for one source partition. One instance per partition and task, called only
 * from the task's thread, so it may keep state in fields.
 *
 * @param <T> the records' type
 */
public interface WatermarkGenerator<T> {
  /**
   * Called for every record, after its timestamp was assigned. A punctuated generator emits here; a
   * watermark emitted here takes effect after this record and before the next one (timers fire,
   * downstream tasks are told), not at the next {@code watermark.interval.ms}.
   *
   * @param event the record
   * @param timestamp its event timestamp
   * @param output where to emit
   */
  void onEvent(T event, long timestamp, WatermarkOutput output);

  /**
   * Called every {@code watermark.interval.ms} (default 200 ms). A periodic generator emits here.
   *
   * @param output where to emit
   */
  void onPeriodicEmit(WatermarkOutput output);
}
