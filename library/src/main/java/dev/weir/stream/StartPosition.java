package dev.weir.stream;

/**
 * Where a source starts reading a partition for which the application's consumer group has no
 * committed offset (a new application, or a new partition). Committed offsets always win.
 */
public enum StartPosition {
  /** From the oldest record still in the partition. The default. */
  EARLIEST,
  /** From the end: only records written after the application first sees the partition. */
  LATEST
}
