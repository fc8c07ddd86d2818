package dev.weir.internal.runtime;

/**
 * The one source of time of the runtime: wall-clock milliseconds for intervals (commit, watermark,
 * purge, stall warnings) and processing time, a monotonic nanosecond counter for durations reported
 * as metrics. Injected so that unit tests can move time instead of waiting for it.
 *
 * <p>Implementations are safe to call from any thread.
 */
interface RuntimeClock {
  /** The system clock. */
  RuntimeClock SYSTEM =
      new RuntimeClock() {
        @Override
        public long millis() {
          return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
          return System.nanoTime();
        }
      };

  /** Returns the wall-clock time in milliseconds since the epoch. */
  long millis();

  /** Returns a monotonic time in nanoseconds, only meaningful as a difference. */
  long nanos();
}
