package dev.weir.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * The persisted format of values in changelog topics, version 1.
 *
 * <p>A changelog record's key is the store key, unchanged, so that log compaction keeps the latest
 * record per store key. Its value is the store value prefixed by one format version byte, {@code
 * 0x01}:
 *
 * <pre>
 *   store value  61 62          ("ab")
 *   record value 01 61 62
 *   store value  (empty)
 *   record value 01
 *   delete       null record value (a tombstone, so compaction can drop the key)
 * </pre>
 *
 * <p><b>Batch records</b> (version 2, design record 024) carry many store entries in one changelog
 * record: every entry one commit wrote under one <em>scope</em> (a key prefix, for the interval
 * join's buffer one time segment). The record's key is a <em>batch key</em>, which is also kept in
 * the store, with an empty value, as the batch's marker:
 *
 * <pre>
 *   batch key    00 42 [scope] [sequence int64 BE]     (0x00 'B'; no other Weir key starts so)
 *   batch value  02 ( varint(n) [key suffix, n bytes] varint(m) [store value, m bytes] )*
 *                each entry's store key is scope + suffix
 *   put          restores the marker (batch key, empty value) and puts every entry
 *   tombstone    deletes the marker and every key that starts with the scope (a range delete)
 * </pre>
 *
 * <p>A batch that also deletes keys (design record 032: a list state's elements removed one by one,
 * by an evictor or TTL, while the list lives on) has version 3, whose entries encode the value's
 * length plus one, and 0 for a delete:
 *
 * <pre>
 *   batch value  03 ( varint(n) [key suffix, n bytes] varint(m + 1) [store value, m bytes] )*
 *                and varint(n) [key suffix] 00 for a delete of scope + suffix
 * </pre>
 *
 * <p>Such a batch stays live until its scope's tombstone, like any batch, so the deletes it holds
 * are replayed after the puts of the earlier batches they undo in every compacted form of the log.
 * A release that reads only version 2 fails on it with the "newer Weir" error.
 *
 * <p>A batch key is written once (a new sequence per commit) and deleted once, so compaction keeps
 * every live batch and, after a tombstone, drops the batch and then the tombstone: a restore from
 * any compacted form of the log ends with the same store. Keys beginning with {@code 00 42} are
 * reserved for batches in every store that is restored through {@link ChangelogRestorer}.
 *
 * <p>A reader that finds a version it does not know throws {@link StateFormatException}; a newer
 * Weir wrote the record, and the fix is to upgrade. Stateless and thread-safe.
 */
public final class ChangelogFormat {
  /** The version byte this release writes. */
  public static final byte VERSION_1 = 0x01;

  /** Where the store value starts in a changelog record value of {@link #VERSION_1}. */
  public static final int PAYLOAD_OFFSET = 1;

  /** The version byte of a batch record's value (only under a batch key). */
  public static final byte VERSION_2_BATCH = 0x02;

  /** The version byte of a batch record's value that holds deletes (design record 032). */
  public static final byte VERSION_3_BATCH_WITH_DELETES = 0x03;

  /** Length of a batch key's sequence suffix. */
  public static final int BATCH_SEQUENCE_BYTES = 8;

  private static final byte BATCH_KEY_0 = 0x00;
  private static final byte BATCH_KEY_1 = 0x42;
  private static final int BATCH_KEY_TAG = 2;
  private static final byte[] EMPTY = new byte[0];

  private ChangelogFormat() {}

  /**
   * Encodes a store value as a changelog record value.
   *
   * @param value the store value, or null for a delete
   * @return a new array, {@link #VERSION_1} followed by the value; null when {@code value} is null
   */
  public static byte[] encodeValue(byte[] value) {
    if (value == null) {
      return null;
    }
    byte[] encoded = new byte[value.length + 1];
    encoded[0] = VERSION_1;
    System.arraycopy(value, 0, encoded, PAYLOAD_OFFSET, value.length);
    return encoded;
  }

  /**
   * Decodes a changelog record value into a store value.
   *
   * @param encoded the record value, or null for a tombstone
   * @return a new array with the store value; null when {@code encoded} is null
   * @throws StateFormatException if the value is empty or has a version this release cannot read
   */
  public static byte[] decodeValue(byte[] encoded) {
    if (encoded == null) {
      return null;
    }
    checkVersion(encoded);
    return Arrays.copyOfRange(encoded, PAYLOAD_OFFSET, encoded.length);
  }

  /**
   * Checks that a non-null changelog record value is in a format this release reads; the store
   * value is then {@code encoded[PAYLOAD_OFFSET..]}, which readers can use without copying.
   *
   * @param encoded the record value; not null
   * @throws StateFormatException if the value is empty or has a version this release cannot read
   */
  public static void checkVersion(byte[] encoded) {
    if (encoded.length == 0) {
      throw new StateFormatException(
          "Changelog value is empty, but every value written by Weir starts with a format version"
              + " byte; the changelog topic holds data not written by Weir or is corrupt");
    }
    if (encoded[0] != VERSION_1) {
      throw new StateFormatException(
          String.format(
              "Changelog value has format version 0x%02x, but this Weir release reads only version"
                  + " 0x%02x; the changelog was written by a newer Weir release: upgrade Weir to"
                  + " that release or later",
              encoded[0] & 0xff, VERSION_1));
    }
  }

  /**
   * The batch key of {@code scope} with a sequence: {@code 00 42 scope sequence}.
   *
   * @param scope the key prefix every entry of the batch starts with; not empty
   * @param sequence distinguishes batches of one scope; unique among its live batches
   * @return a new array
   */
  public static byte[] batchKey(byte[] scope, long sequence) {
    if (scope.length == 0) {
      throw new IllegalArgumentException("a batch scope must not be empty");
    }
    byte[] k = new byte[BATCH_KEY_TAG + scope.length + BATCH_SEQUENCE_BYTES];
    k[0] = BATCH_KEY_0;
    k[1] = BATCH_KEY_1;
    System.arraycopy(scope, 0, k, BATCH_KEY_TAG, scope.length);
    long s = sequence;
    for (int i = k.length - 1; i >= k.length - BATCH_SEQUENCE_BYTES; i--) {
      k[i] = (byte) s;
      s >>>= 8;
    }
    return k;
  }

  /**
   * Every batch key whose scope starts with {@code scopePrefix} starts with the result: {@code 00
   * 42 scopePrefix}. An empty prefix gives the start of all batch keys.
   *
   * @param scopePrefix a prefix of scopes; may be empty
   * @return a new array
   */
  public static byte[] batchKeyPrefix(byte[] scopePrefix) {
    byte[] k = new byte[BATCH_KEY_TAG + scopePrefix.length];
    k[0] = BATCH_KEY_0;
    k[1] = BATCH_KEY_1;
    System.arraycopy(scopePrefix, 0, k, BATCH_KEY_TAG, scopePrefix.length);
    return k;
  }

  /**
   * Whether {@code key} is a batch key (starts with {@code 00 42}, with a scope and a sequence).
   *
   * @param key a store or changelog key; not null
   * @return true for a batch key
   */
  public static boolean isBatchKey(byte[] key) {
    return isBatchKey(key, 0, key.length);
  }

  /**
   * Whether {@code key} starts with the batch-key tag followed by a first scope byte {@code
   * scopeByte}: a batch key of such a scope, or the start of a range of them ({@link
   * #batchKeyPrefix}).
   *
   * @param key any key; not null
   * @param scopeByte the scope's first byte
   * @return true for a batch key, or a prefix of batch keys, of a scope starting with {@code
   *     scopeByte}
   */
  public static boolean isBatchKeyOfScope(byte[] key, byte scopeByte) {
    return key.length > BATCH_KEY_TAG
        && key[0] == BATCH_KEY_0
        && key[1] == BATCH_KEY_1
        && key[BATCH_KEY_TAG] == scopeByte;
  }

  /** {@link #isBatchKey(byte[])} of the key {@code array[offset, offset + length)}. */
  static boolean isBatchKey(byte[] array, int offset, int length) {
    return length > BATCH_KEY_TAG + BATCH_SEQUENCE_BYTES
        && array[offset] == BATCH_KEY_0
        && array[offset + 1] == BATCH_KEY_1;
  }

  /**
   * The scope of a batch key.
   *
   * @param batchKey a batch key
   * @return a new array
   */
  public static byte[] batchScope(byte[] batchKey) {
    return Arrays.copyOfRange(batchKey, BATCH_KEY_TAG, batchKey.length - BATCH_SEQUENCE_BYTES);
  }

  /**
   * Whether {@code rule} accepts the scope of a batch key, tested where it lies in the key: no copy
   * of it is made (unlike {@link #batchScope}).
   *
   * @param batchKey a batch key ({@link #isBatchKey})
   * @param rule the rule
   * @return {@code rule.test(batchScope(batchKey))}
   */
  public static boolean batchScopeMatches(byte[] batchKey, BatchScopeRule rule) {
    return rule.test(
        batchKey, BATCH_KEY_TAG, batchKey.length - BATCH_KEY_TAG - BATCH_SEQUENCE_BYTES);
  }

  /**
   * The sequence of a batch key.
   *
   * @param batchKey a batch key
   * @return the sequence
   */
  public static long batchSequence(byte[] batchKey) {
    long s = 0;
    for (int i = batchKey.length - BATCH_SEQUENCE_BYTES; i < batchKey.length; i++) {
      s = (s << 8) | (batchKey[i] & 0xff);
    }
    return s;
  }

  /**
   * The store value of a batch's marker.
   *
   * @return an empty array
   */
  public static byte[] batchMarkerValue() {
    return EMPTY;
  }

  /**
   * Receives one entry of a batch record; the value is {@code value[offset, offset + length)}, or
   * {@code value} is null for a delete.
   */
  @FunctionalInterface
  public interface BatchEntryVisitor {
    /**
     * Receives one entry.
     *
     * @param key the entry's store key, a new array
     * @param value the array holding the value; null when the entry deletes the key
     * @param offset where the value starts
     * @param length the value's length
     */
    void visit(byte[] key, byte[] value, int offset, int length);
  }

  /**
   * Visits the entries of a batch record's value in the order they were written.
   *
   * @param batchKey the record's key (a batch key)
   * @param encoded the record's value; not null
   * @param visitor receives each entry
   * @return the number of entries
   * @throws StateFormatException if the value is not a version-2 or version-3 batch or is truncated
   */
  public static int forEachBatchEntry(byte[] batchKey, byte[] encoded, BatchEntryVisitor visitor) {
    int scopeLength = batchKey.length - BATCH_KEY_TAG - BATCH_SEQUENCE_BYTES;
    return forEachBatchSlice(
        encoded,
        (bytes, suffixOffset, suffixLength, valueOffset, valueLength) -> {
          byte[] key = new byte[scopeLength + suffixLength];
          System.arraycopy(batchKey, BATCH_KEY_TAG, key, 0, scopeLength);
          System.arraycopy(bytes, suffixOffset, key, scopeLength, suffixLength);
          if (valueLength < 0) {
            visitor.visit(key, null, 0, 0);
          } else {
            visitor.visit(key, bytes, valueOffset, valueLength);
          }
        });
  }

  /**
   * Receives one entry of a batch record in place: the key's suffix (after the batch's scope) and
   * the value as ranges of the record's value.
   */
  @FunctionalInterface
  public interface BatchSliceVisitor {
    /**
     * Receives one entry.
     *
     * @param encoded the record's value
     * @param suffixOffset where the key's suffix starts
     * @param suffixLength the suffix's length
     * @param valueOffset where the value starts
     * @param valueLength the value's length; -1 when the entry deletes the key
     */
    void visit(
        byte[] encoded, int suffixOffset, int suffixLength, int valueOffset, int valueLength);
  }

  /**
   * Visits the entries of a batch record's value in the order they were written, allocating
   * nothing: a reader that needs only some of the bytes (a list's elements) copies just those.
   *
   * @param encoded the record's value; not null
   * @param visitor receives each entry
   * @return the number of entries
   * @throws StateFormatException if the value is not a version-2 or version-3 batch or is truncated
   */
  public static int forEachBatchSlice(byte[] encoded, BatchSliceVisitor visitor) {
    return forEachBatchSlice(encoded, encoded.length, visitor);
  }

  /**
   * {@link #forEachBatchSlice(byte[], BatchSliceVisitor)} of the value {@code encoded[0, length)}:
   * for a writer that lays a batch value out in a larger array as it grows (a window list's
   * appends, design record 042).
   *
   * @param encoded holds the value from index 0; not null
   * @param length the value's length, at most {@code encoded.length}
   * @param visitor receives each entry
   * @return the number of entries
   * @throws StateFormatException if the value is not a version-2 or version-3 batch or is truncated
   */
  public static int forEachBatchSlice(byte[] encoded, int length, BatchSliceVisitor visitor) {
    Objects.checkFromIndexSize(0, length, encoded.length);
    if (length == 0
        || (encoded[0] != VERSION_2_BATCH && encoded[0] != VERSION_3_BATCH_WITH_DELETES)) {
      throw new StateFormatException(
          length == 0
              ? "Batch record value is empty; the changelog topic is corrupt"
              : String.format(
                  "Batch record value has format version 0x%02x, but this Weir release reads"
                      + " only versions 0x%02x and 0x%02x under a batch key; the changelog was"
                      + " written by a newer Weir release: upgrade Weir to that release or later",
                  encoded[0] & 0xff, VERSION_2_BATCH, VERSION_3_BATCH_WITH_DELETES));
    }
    boolean withDeletes = encoded[0] == VERSION_3_BATCH_WITH_DELETES;
    int[] at = {1};
    int n = 0;
    while (at[0] < length) {
      int suffix = readVarint(encoded, length, at);
      checkRemaining(length, at[0], suffix);
      int suffixOffset = at[0];
      at[0] += suffix;
      int valueLength = readVarint(encoded, length, at);
      if (withDeletes) {
        if (valueLength == 0) {
          visitor.visit(encoded, suffixOffset, suffix, at[0], -1);
          n++;
          continue;
        }
        valueLength--;
      }
      checkRemaining(length, at[0], valueLength);
      visitor.visit(encoded, suffixOffset, suffix, at[0], valueLength);
      at[0] += valueLength;
      n++;
    }
    return n;
  }

  private static int readVarint(byte[] b, int end, int[] at) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      checkRemaining(end, at[0], 1);
      byte x = b[at[0]++];
      value |= (x & 0x7f) << shift;
      if (x >= 0) {
        if (value < 0) {
          break;
        }
        return value;
      }
    }
    throw new StateFormatException("Batch record value has a malformed length");
  }

  private static void checkRemaining(int end, int at, int n) {
    if (n < 0 || at + n > end) {
      throw new StateFormatException("Batch record value is truncated; the changelog is corrupt");
    }
  }

  /**
   * Builds the value of one batch record: entries appended in any order (a restore applies them in
   * this order, so a key should come once). Not thread-safe.
   *
   * <p>It keeps the added arrays and counts the value's exact size as they come; {@link #toValue()}
   * then encodes them into one array of that size. So a batch costs one allocation of its value
   * plus the references, not a buffer grown by doubling and copied once more at the end. The arrays
   * passed to {@link #add} and {@link #addDelete} must therefore not change until the last {@link
   * #toValue()} (the commit passes the overlay's pending arrays, which nothing changes).
   */
  public static final class BatchBuilder {
    private final int scopeLength;
    private byte[][] keys = new byte[16][];
    // null for a delete
    private byte[][] values = new byte[16][];
    private int entries;
    // From the first delete on the value is version 3: every put's length is written as m + 1.
    private boolean withDeletes;
    // The value's size as version 2 (meaningful only without deletes) and as version 3.
    private int sizeV2 = 1;
    private int sizeV3 = 1;

    /**
     * Starts an empty batch value.
     *
     * @param scopeLength the length of the scope that every added key starts with
     */
    public BatchBuilder(int scopeLength) {
      this.scopeLength = scopeLength;
    }

    /**
     * Appends an entry.
     *
     * @param key the store key, which must start with the scope (not checked); kept, not copied
     * @param value the store value; kept, not copied
     */
    public void add(byte[] key, byte[] value) {
      int suffix = key.length - scopeLength;
      int keyBytes = varintLength(suffix) + suffix;
      append(key, value);
      sizeV2 = Math.addExact(sizeV2, keyBytes + varintLength(value.length) + value.length);
      sizeV3 = Math.addExact(sizeV3, keyBytes + varintLength(value.length + 1) + value.length);
    }

    /**
     * Appends a delete of {@code key}: from now on the value is version 3 (the puts already added
     * are encoded as version 3 too).
     *
     * @param key the store key, which must start with the scope (not checked); kept, not copied
     */
    public void addDelete(byte[] key) {
      withDeletes = true;
      int suffix = key.length - scopeLength;
      append(key, null);
      sizeV3 = Math.addExact(sizeV3, varintLength(suffix) + suffix + 1);
    }

    private void append(byte[] key, byte[] value) {
      if (entries == keys.length) {
        keys = Arrays.copyOf(keys, entries * 2);
        values = Arrays.copyOf(values, entries * 2);
      }
      keys[entries] = key;
      values[entries] = value;
      entries++;
    }

    /**
     * The entries added.
     *
     * @return the count
     */
    public int entries() {
      return entries;
    }

    /**
     * The value's size so far.
     *
     * @return bytes
     */
    public int bytes() {
      return withDeletes ? sizeV3 : sizeV2;
    }

    /**
     * The record value.
     *
     * @return a new array of {@link #bytes()} bytes
     */
    public byte[] toValue() {
      byte[] out = new byte[bytes()];
      int at = 0;
      out[at++] = withDeletes ? VERSION_3_BATCH_WITH_DELETES : VERSION_2_BATCH;
      for (int i = 0; i < entries; i++) {
        byte[] key = keys[i];
        byte[] value = values[i];
        int suffix = key.length - scopeLength;
        at = writeVarint(out, at, suffix);
        System.arraycopy(key, scopeLength, out, at, suffix);
        at += suffix;
        if (value == null) {
          out[at++] = 0;
        } else {
          at = writeVarint(out, at, withDeletes ? value.length + 1 : value.length);
          System.arraycopy(value, 0, out, at, value.length);
          at += value.length;
        }
      }
      if (at != out.length) {
        throw new IllegalStateException(
            "Batch value size mismatch: counted " + out.length + " bytes, wrote " + at);
      }
      return out;
    }
  }

  /**
   * The bytes {@link #writeVarint} takes for {@code v}: a batch value's lengths are unsigned
   * varints, seven bits a byte, low bits first.
   *
   * @param v a length, not negative
   * @return 1 to 5
   */
  public static int varintLength(int v) {
    int significantBits = Integer.SIZE - Integer.numberOfLeadingZeros(v | 1);
    return (significantBits + 6) / 7;
  }

  /**
   * Writes {@code v} as a batch value's lengths are written, for a writer that lays out a batch
   * value itself (a window list's appends, design record 042).
   *
   * @param out where to write; must have {@link #varintLength} bytes free at {@code at}
   * @param at where to start
   * @param v a length, not negative
   * @return where the next byte goes
   */
  public static int writeVarint(byte[] out, int at, int v) {
    while ((v & ~0x7f) != 0) {
      out[at++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
    return at;
  }
}
