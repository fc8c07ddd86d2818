package dev.weir.store;

import org.apache.kafka.common.TopicPartition;

/**
 * Receives the progress of a {@link ChangelogRestorer}, for metrics and logs. All methods default
 * to doing nothing, so implementations override what they need.
 *
 * <p><b>Threading.</b> Called on the thread running {@link ChangelogRestorer#restore}. An exception
 * thrown here aborts the restore (what was applied stays, and a later restore resumes from it).
 */
public interface RestoreListener {

  /**
   * Returns a listener that ignores every event.
   *
   * @return the listener; never null
   */
  static RestoreListener noOp() {
    return NoOpRestoreListener.INSTANCE;
  }

  /**
   * Called once per store before its changelog partition is read, also when nothing is to be read.
   *
   * @param storeName the store; not null
   * @param partition its changelog partition; not null
   * @param startOffset the offset restore starts from
   * @param endOffset the offset restore stops at (exclusive): the last stable offset when restore
   *     began
   */
  default void onStart(
      String storeName, TopicPartition partition, long startOffset, long endOffset) {}

  /**
   * Called after a batch holding records of this store was applied.
   *
   * @param storeName the store; not null
   * @param partition its changelog partition; not null
   * @param restoredSoFar records of this store applied so far in this restore
   * @param total {@code endOffset - startOffset}: an upper bound on the records to restore, since
   *     transaction markers and aborted records take offsets too
   */
  default void onBatch(
      String storeName, TopicPartition partition, long restoredSoFar, long total) {}

  /**
   * Called once per store when its restore is complete and flushed to disk.
   *
   * @param storeName the store; not null
   * @param partition its changelog partition; not null
   * @param restoredCount records of this store applied in this restore
   */
  default void onEnd(String storeName, TopicPartition partition, long restoredCount) {}
}
