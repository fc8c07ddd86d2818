package dev.weir.windowing;

/** A window: a group of records of one key. */
public abstract class Window {
  /** For subclasses. */
  protected Window() {}

  /**
   * Returns the largest timestamp that belongs to the window; results of the window are timestamped
   * with it.
   *
   * @return milliseconds since the epoch
   */
  public abstract long maxTimestamp();
}
