package dev.weir.sink.file;

import java.io.Serializable;

/**
 * Decides when the file sink ends an in-progress part file and starts a new one. A part file also
 * ends when its task closes or restores; it becomes visible (finished) at the first commit after it
 * ends. Called from the task's thread only.
 */
public interface RollingPolicy extends Serializable {
  /** What a rolling policy may know about an in-progress part file. */
  interface PartFileInfo {
    /**
     * The bucket of the part.
     *
     * @return the bucket id; not null
     */
    String bucketId();

    /**
     * When the part was opened.
     *
     * @return processing time, epoch milliseconds
     */
    long creationTime();

    /**
     * When a record was last written into the part.
     *
     * @return processing time, epoch milliseconds
     */
    long lastUpdateTime();

    /**
     * The bytes written into the part.
     *
     * @return the size in bytes
     */
    long size();
  }

  /**
   * Whether to end {@code part} before the next record is written into it.
   *
   * @param part the part the record would go into
   * @param now processing time
   * @return true to end it
   */
  boolean shouldRollOnEvent(PartFileInfo part, long now);

  /**
   * Whether to end {@code part} at a commit, before the transaction is pre-committed.
   *
   * @param part an in-progress part
   * @param now processing time
   * @return true to end it
   */
  boolean shouldRollOnProcessingTime(PartFileInfo part, long now);
}
