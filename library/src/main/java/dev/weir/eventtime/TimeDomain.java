package dev.weir.eventtime;

/** Which clock a timer follows. */
public enum TimeDomain {
  /** The watermark: fires when the watermark reaches the timer's time. */
  EVENT_TIME,
  /** The wall clock (the test driver's manual clock in tests). */
  PROCESSING_TIME
}
