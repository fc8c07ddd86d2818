package dev.weir.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A set of writes across the stores of one task, plus new changelog offsets, that {@link
 * TaskStateStore#applyBatch(StateWriteBatch)} applies atomically: after a crash either all of it is
 * visible or none of it.
 *
 * <pre>{@code
 * try (StateWriteBatch batch = taskState.newWriteBatch()) {
 *   batch.put("window-op.contents", key, value);
 *   batch.delete("window-op.timers", timerKey);
 *   batch.putOffset("app-window-op.contents-changelog-3", 4711L);
 *   taskState.applyBatch(batch);
 * }
 * }</pre>
 *
 * <p>The batch copies what it is given: arrays passed in may be reused once a method returns.
 * Applying a batch does not clear it; {@link #clear()} makes it reusable, and reusing one batch
 * saves allocating its buffer again. A batch belongs to the task state that created it and must be
 * closed to release its buffer. Not thread-safe.
 *
 * <p>A backend may bound one batch: the RocksDB backend holds up to 2 GiB of serialized entries
 * (RocksDB's format and a Java array both count in 32 bits). An entry that does not fit is refused
 * with an {@link IllegalStateException} naming the limit and leaves the batch as it was; apply and
 * clear the batch before adding more. Adding to or clearing a batch throws {@link
 * IllegalStateException} once the batch or its task state is closed.
 */
public interface StateWriteBatch extends AutoCloseable {

  /**
   * Adds a put.
   *
   * @param storeName a store of the owning task
   * @param key the key
   * @param value the value; not null
   * @throws IllegalArgumentException if the task has no such store
   */
  void put(String storeName, byte[] key, byte[] value);

  /**
   * Adds a put whose value is the range {@code value[valueOffset, valueOffset + valueLength)}, for
   * a caller that holds the value inside a larger array (a decoded changelog record, a reused
   * serialization buffer) and would otherwise copy it out first only for the batch to copy it
   * again. The range is copied like any value, so the array may be reused once this returns.
   *
   * <p>The default implementation copies the range into a new array and calls {@link #put(String,
   * byte[], byte[])}. Implementations override it to copy the range straight into the batch, as the
   * RocksDB backend does.
   *
   * @param storeName a store of the owning task
   * @param key the key
   * @param value the array holding the value; not null
   * @param valueOffset where the value starts in {@code value}
   * @param valueLength the value's length in bytes; may be 0
   * @throws IndexOutOfBoundsException if the range is not within {@code value} (a negative offset
   *     or length, or one that runs past the end)
   * @throws IllegalArgumentException if the task has no such store
   */
  default void put(String storeName, byte[] key, byte[] value, int valueOffset, int valueLength) {
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    put(storeName, key, Arrays.copyOfRange(value, valueOffset, valueOffset + valueLength));
  }

  /**
   * Adds a delete.
   *
   * @param storeName a store of the owning task
   * @param key the key
   * @throws IllegalArgumentException if the task has no such store
   */
  void delete(String storeName, byte[] key);

  /**
   * Sets the offset to restore from for a changelog partition; a later call for the same partition
   * wins. Partitions not mentioned keep their committed offset.
   *
   * @param changelogPartition the changelog topic-partition in Kafka's {@code TopicPartition}
   *     string form, for example {@code "app-counter-op.count-changelog-3"}; not empty
   * @param nextOffset the offset of the first changelog record not reflected in the state; not
   *     negative
   * @throws IllegalArgumentException if the partition is empty or the offset negative
   */
  void putOffset(String changelogPartition, long nextOffset);

  /**
   * Returns the number of puts and deletes added since creation or the last {@link #clear()}
   * (offsets are not counted).
   *
   * @return the count; never negative
   */
  int size();

  /** Removes all writes and offsets, keeping the batch open for reuse. */
  void clear();

  /** Releases the batch's resources. Idempotent. */
  @Override
  void close();
}
