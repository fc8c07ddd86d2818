package dev.weir.eventtime;

/**
 * Timers of the current key. A timer is identified by (key, timestamp, domain): registering the
 * same one twice keeps one. Timers are stored in the task's state, written to its changelog and
 * survive restarts and task moves; processing-time timers that came due while the task was down
 * fire right after it is restored. Implemented by the library.
 */
public interface TimerService {
  /**
   * Returns the processing-time clock.
   *
   * @return milliseconds since the epoch
   */
  long currentProcessingTime();

  /**
   * Returns the task's event-time watermark.
   *
   * @return the watermark; {@code Long.MIN_VALUE} before the first one
   */
  long currentWatermark();

  /**
   * Schedules {@code onTimer} for the current key when the watermark reaches {@code time}. A time
   * at or below the current watermark fires as soon as the current record is done.
   *
   * @param time event time in milliseconds
   */
  void registerEventTimeTimer(long time);

  /**
   * Schedules {@code onTimer} for the current key when the processing clock reaches {@code time}.
   *
   * @param time processing time in milliseconds
   */
  void registerProcessingTimeTimer(long time);

  /**
   * Removes an event-time timer of the current key, if registered.
   *
   * @param time the timer's time
   */
  void deleteEventTimeTimer(long time);

  /**
   * Removes a processing-time timer of the current key, if registered.
   *
   * @param time the timer's time
   */
  void deleteProcessingTimeTimer(long time);
}
