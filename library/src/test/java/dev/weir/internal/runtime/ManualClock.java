package dev.weir.internal.runtime;

/** A clock that moves only when a test moves it. */
final class ManualClock implements RuntimeClock {
  private long millis;

  ManualClock(long startMillis) {
    this.millis = startMillis;
  }

  void advance(long ms) {
    millis += ms;
  }

  @Override
  public synchronized long millis() {
    return millis;
  }

  @Override
  public synchronized long nanos() {
    return millis * 1_000_000L;
  }
}
