package dev.weir.windowing;

/** What a trigger decides for a window. */
public enum TriggerResult {
  /** Nothing happens. */
  CONTINUE(false, false),
  /** The window function runs on the window's contents, which are kept. */
  FIRE(true, false),
  /** The window's contents are dropped (its state is cleaned up later, at cleanup time). */
  PURGE(false, true),
  /** The window function runs, then the contents are dropped. */
  FIRE_AND_PURGE(true, true);

  private final boolean fire;
  private final boolean purge;

  TriggerResult(boolean fire, boolean purge) {
    this.fire = fire;
    this.purge = purge;
  }

  /**
   * Returns whether the window fires.
   *
   * @return true for FIRE and FIRE_AND_PURGE
   */
  public boolean isFire() {
    return fire;
  }

  /**
   * Returns whether the contents are dropped.
   *
   * @return true for PURGE and FIRE_AND_PURGE
   */
  public boolean isPurge() {
    return purge;
  }
}
