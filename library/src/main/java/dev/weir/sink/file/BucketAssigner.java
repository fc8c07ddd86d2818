package dev.weir.sink.file;

import java.io.Serializable;

/**
 * Chooses the bucket (a directory under the sink's base path) of each record. Copied per task with
 * the sink; called from the task's thread only.
 *
 * @param <IN> the record type
 */
@FunctionalInterface
public interface BucketAssigner<IN> extends Serializable {
  /** What a bucket assigner may know about the record and the task's clocks. */
  interface Context {
    /**
     * The record's timestamp.
     *
     * @return epoch milliseconds
     */
    long timestamp();

    /**
     * The task's current watermark.
     *
     * @return epoch milliseconds, or {@link Long#MIN_VALUE} before the first watermark
     */
    long currentWatermark();

    /**
     * The task's processing time.
     *
     * @return epoch milliseconds
     */
    long currentProcessingTime();
  }

  /**
   * Returns the bucket of a record: a relative directory path, possibly nested with {@code /}, or
   * the empty string for the base path itself.
   *
   * @param element the record; not null
   * @param context the record's timestamp and the clocks; valid only during the call
   * @return the bucket id; not null; must not be absolute, contain {@code ..} or start with {@code
   *     .}
   * @throws RuntimeException when the record has no bucket; it is rejected through the error
   *     handler
   */
  String getBucketId(IN element, Context context);
}
