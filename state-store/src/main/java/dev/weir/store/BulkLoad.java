package dev.weir.store;

/**
 * Loads many writes into a task's stores at once, bypassing the write path that {@link
 * StateWriteBatch} takes: the writes are buffered, and {@link #ingest()} sorts them, keeps the last
 * write per key, and hands each store's result to the backend as one prebuilt file (RocksDB: an SST
 * file written with {@code SstFileWriter} and ingested). Used by a large changelog restore (design
 * record 019); obtained from {@link TaskStateStore#newBulkLoad()}.
 *
 * <pre>{@code
 * try (BulkLoad load = taskState.newBulkLoad()) {
 *   load.put("op.count", key, changelogValue, ChangelogFormat.PAYLOAD_OFFSET, length);
 *   load.delete("op.count", otherKey);
 *   load.ingest(); // durable once it returns
 *   // then record the offsets the ingested writes reach, in a StateWriteBatch
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Within one {@code ingest}, a later write of a key wins over an earlier one; the
 * writes of a later {@code ingest} win over everything already in the stores. A delete is kept as a
 * delete, so it also removes what earlier ingests or the store held.
 *
 * <p><b>Atomicity and offsets.</b> A bulk load carries no changelog offsets and is not atomic
 * across stores: after a crash during {@code ingest}, some stores may hold the chunk and others
 * not. It is meant for replaying a changelog, where that is harmless as long as the offsets that
 * say where the replay resumes are written only after {@code ingest} returned: the stores are then
 * never behind the offsets, and replaying records a store already holds leaves every key with its
 * last value (see {@link ChangelogRestorer}).
 *
 * <p><b>Memory.</b> An implementation may keep references to the arrays passed in until {@code
 * ingest} returns (the RocksDB backend copies them): the caller must not modify them before. {@link
 * #bufferedBytes()} says how much is held. Not thread-safe.
 */
public interface BulkLoad extends AutoCloseable {

  /**
   * Adds a put whose value is {@code value[valueOffset, valueOffset + valueLength)}.
   *
   * @param storeName a store of the owning task
   * @param key the key; not null; may be kept by reference until the next {@link #ingest()}
   * @param value the array holding the value; not null; may be kept by reference until the next
   *     {@link #ingest()}
   * @param valueOffset where the value starts in {@code value}
   * @param valueLength the value's length in bytes; may be 0
   * @throws IndexOutOfBoundsException if the range is not within {@code value}
   * @throws IllegalArgumentException if the task has no such store
   * @throws IllegalStateException if the bulk load or its task state is closed
   */
  void put(String storeName, byte[] key, byte[] value, int valueOffset, int valueLength);

  /**
   * Adds a put whose key is {@code keys[keyOffset, keyOffset + keyLength)} and whose value is
   * {@code value[valueOffset, valueOffset + valueLength)}: a restore reading raw changelog fetches
   * (design record 030) hands both as ranges of the fetched response. The default copies the key;
   * the RocksDB backend copies both ranges straight into its buffer.
   *
   * @param storeName a store of the owning task
   * @param keys the array holding the key; not null; may be kept by reference until the next {@link
   *     #ingest()}
   * @param keyOffset where the key starts in {@code keys}
   * @param keyLength the key's length in bytes
   * @param value the array holding the value; not null; may be kept by reference until the next
   *     {@link #ingest()}
   * @param valueOffset where the value starts in {@code value}
   * @param valueLength the value's length in bytes; may be 0
   * @throws IndexOutOfBoundsException if a range is not within its array
   * @throws IllegalArgumentException if the task has no such store
   * @throws IllegalStateException if the bulk load or its task state is closed
   */
  default void put(
      String storeName,
      byte[] keys,
      int keyOffset,
      int keyLength,
      byte[] value,
      int valueOffset,
      int valueLength) {
    java.util.Objects.checkFromIndexSize(keyOffset, keyLength, keys.length);
    put(
        storeName,
        java.util.Arrays.copyOfRange(keys, keyOffset, keyOffset + keyLength),
        value,
        valueOffset,
        valueLength);
  }

  /**
   * Adds a delete whose key is {@code keys[keyOffset, keyOffset + keyLength)}. The default copies
   * the key.
   *
   * @param storeName a store of the owning task
   * @param keys the array holding the key; not null; may be kept by reference until the next {@link
   *     #ingest()}
   * @param keyOffset where the key starts in {@code keys}
   * @param keyLength the key's length in bytes
   * @throws IndexOutOfBoundsException if the range is not within {@code keys}
   * @throws IllegalArgumentException if the task has no such store
   * @throws IllegalStateException if the bulk load or its task state is closed
   */
  default void delete(String storeName, byte[] keys, int keyOffset, int keyLength) {
    java.util.Objects.checkFromIndexSize(keyOffset, keyLength, keys.length);
    delete(storeName, java.util.Arrays.copyOfRange(keys, keyOffset, keyOffset + keyLength));
  }

  /**
   * Adds a delete.
   *
   * @param storeName a store of the owning task
   * @param key the key; not null; may be kept by reference until the next {@link #ingest()}
   * @throws IllegalArgumentException if the task has no such store
   * @throws IllegalStateException if the bulk load or its task state is closed
   */
  void delete(String storeName, byte[] key);

  /**
   * Returns the writes added since the last {@link #ingest()}.
   *
   * @return the count of puts and deletes; never negative
   */
  int size();

  /**
   * Returns about how much heap the buffered writes hold: their keys and values plus a fixed amount
   * per write.
   *
   * @return bytes; never negative
   */
  long bufferedBytes();

  /**
   * Writes what was added into the stores, durably, and empties the buffer. Does nothing when
   * nothing was added.
   *
   * @throws StateStoreException if the backend fails; some stores may then hold the writes
   * @throws IllegalStateException if the bulk load or its task state is closed
   */
  void ingest();

  /** Drops what was not ingested and releases the bulk load's resources. Idempotent. */
  @Override
  void close();
}
