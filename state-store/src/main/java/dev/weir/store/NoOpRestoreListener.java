package dev.weir.store;

/** The listener behind {@link RestoreListener#noOp()}. */
final class NoOpRestoreListener implements RestoreListener {
  static final NoOpRestoreListener INSTANCE = new NoOpRestoreListener();

  private NoOpRestoreListener() {}
}
