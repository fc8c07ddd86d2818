package dev.weir.store;

/**
 * A named, ordered map from byte keys to byte values: the single storage abstraction every backend
 * (RocksDB, in-memory) and the transactional layer implement. Typed state is built on top of it by
 * the {@code library} module.
 *
 * <pre>{@code
 * KeyValueStore counts = taskState.store("counter-op.count");
 * counts.put(key, value);
 * byte[] current = counts.get(key); // null when absent
 * try (KeyValueIterator it = counts.prefixScan(userKeyPrefix)) {
 *   it.forEachRemaining(entry -> ...);
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Keys are ordered by unsigned lexicographic byte order (as {@link
 * java.util.Arrays#compareUnsigned(byte[], byte[])}): {@code 0x7f < 0x80 < 0xff}, and a key sorts
 * before every longer key it is a prefix of. Empty keys and empty values are allowed.
 *
 * <p><b>Ownership of arrays.</b> A store never keeps a reference to an array passed in and never
 * hands out an array it still uses; callers may reuse or modify their arrays freely.
 *
 * <p><b>Nullness.</b> Arguments are non-null unless a parameter says otherwise; a null where none
 * is allowed throws {@link NullPointerException}.
 *
 * <p><b>Threading.</b> Not thread-safe. A store belongs to one task and is used only by the thread
 * that processes the task, except for the concurrent reads of a base store that {@link
 * TaskStateStore} allows.
 *
 * <p><b>Failures.</b> Using a store whose task state is closed throws {@link
 * IllegalStateException}; a backend failure throws {@link StateStoreException}.
 */
public interface KeyValueStore {

  /**
   * Returns the store's name, unique within its task.
   *
   * @return the name; never null
   */
  String name();

  /**
   * Returns the value stored under a key.
   *
   * @param key the key
   * @return a copy of the value, or null when the key is absent
   */
  byte[] get(byte[] key);

  /**
   * Stores a value under a key, replacing any previous value.
   *
   * @param key the key
   * @param value the value; not null (use {@link #delete(byte[])} to remove a key), may be empty
   */
  void put(byte[] key, byte[] value);

  /**
   * Replaces a key's value with what {@code update} makes of the current one: one lookup where
   * {@link #get} then {@link #put} would make two. {@code update} receives the current value (null
   * when absent), which it must neither modify nor keep, and returns a new array that the store
   * then owns: the caller must not keep or modify it.
   *
   * @param key the key
   * @param update from the current value or null to the new value; must not return null
   */
  default void update(byte[] key, java.util.function.UnaryOperator<byte[]> update) {
    byte[] value = update.apply(get(key));
    if (value == null) {
      throw new NullPointerException("update must return a value; use delete to remove a key");
    }
    put(key, value);
  }

  /**
   * Removes a key. Removing an absent key is not an error.
   *
   * @param key the key
   */
  void delete(byte[] key);

  /**
   * Removes every key {@code k} with {@code fromInclusive <= k < toExclusive}. Intended for bulk
   * cleanup, such as expired windows and fired timers.
   *
   * <p>In the transactional layer the cost is one tombstone (and one changelog record) per key
   * present in the range, because a compacted changelog can only express per-key deletes.
   *
   * @param fromInclusive the lowest key removed, or null for no lower bound
   * @param toExclusive the first key above the range, or null for no upper bound
   */
  void deleteRange(byte[] fromInclusive, byte[] toExclusive);

  /**
   * Does what {@link #deleteRange} does and returns how many keys the range held before. The
   * default reads the range and deletes key by key; the transactional layer removes the range's
   * pending writes and records the committed keys' tombstones in one pass, without a pending write
   * per key.
   *
   * @param fromInclusive the lowest key removed, or null for no lower bound
   * @param toExclusive the first key above the range, or null for no upper bound
   * @return the keys present in the range before
   */
  default long deleteRangeCounted(byte[] fromInclusive, byte[] toExclusive) {
    java.util.List<byte[]> live = new java.util.ArrayList<>();
    try (KeyValueIterator it = range(fromInclusive, toExclusive)) {
      it.forEachRemaining(e -> live.add(e.key()));
    }
    live.forEach(this::delete);
    return live.size();
  }

  /**
   * Iterates over the keys {@code k} with {@code fromInclusive <= k < toExclusive}, ascending. An
   * empty range (for example {@code from >= to}) yields no entries.
   *
   * @param fromInclusive the lowest key returned, or null for no lower bound
   * @param toExclusive the first key above the range, or null for no upper bound
   * @return an open iterator that the caller must close; never null
   */
  KeyValueIterator range(byte[] fromInclusive, byte[] toExclusive);

  /**
   * Passes the keys {@code k} with {@code fromInclusive <= k < toExclusive} to {@code action},
   * ascending, without their values: the keys {@link #range} would return, for a caller that needs
   * no value (RocksDB then copies no value out of the store, however large; design record 040). An
   * empty range passes nothing. Consistency is that of a {@link KeyValueIterator}; each key is a
   * new array that the receiver owns.
   *
   * <p>The default implementation takes the keys from {@link #range}, values and all.
   *
   * @param fromInclusive the lowest key passed, or null for no lower bound
   * @param toExclusive the first key above the range, or null for no upper bound
   * @param action receives each key
   */
  default void forEachKey(
      byte[] fromInclusive, byte[] toExclusive, java.util.function.Consumer<byte[]> action) {
    java.util.Objects.requireNonNull(action, "action");
    try (KeyValueIterator it = range(fromInclusive, toExclusive)) {
      while (it.hasNext()) {
        action.accept(it.next().key());
      }
    }
  }

  /**
   * Iterates over the keys that start with a prefix, ascending. An empty prefix selects every key.
   * Prefixes ending in {@code 0xff} bytes are handled exactly.
   *
   * @param prefix the prefix
   * @return an open iterator that the caller must close; never null
   */
  KeyValueIterator prefixScan(byte[] prefix);

  /**
   * Iterates over every key, ascending.
   *
   * @return an open iterator that the caller must close; never null
   */
  KeyValueIterator all();

  /**
   * Returns an estimate of the number of keys, cheap enough to call for metrics. Exact for the
   * in-memory backend; RocksDB's estimate can be off in both directions, most after many overwrites
   * and deletes.
   *
   * @return the estimate; never negative
   */
  long approximateNumEntries();

  /**
   * Returns an estimate of the bytes of live data in the store, cheap enough to call for metrics:
   * RocksDB's {@code rocksdb.estimate-live-data-size}. A store that cannot estimate it returns -1
   * (the default).
   *
   * @return the estimate, or -1 when unknown
   */
  default long approximateLiveDataBytes() {
    return -1;
  }
}
