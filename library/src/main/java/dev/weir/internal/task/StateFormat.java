package dev.weir.internal.task;

import dev.weir.store.ChangelogFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The persisted layout of typed state inside an operator's store (and so in its changelog). Both
 * keys and values are versioned by their first byte, and golden-bytes tests pin them.
 *
 * <p><b>Keys</b>: {@code [scope][nameLength][name UTF-8][keyLength int32 BE][key][suffix]}, where
 * scope is {@code 'k'} for keyed state and {@code 'o'} for operator state (whose key is empty), and
 * suffix is the serialised map key for map state (empty otherwise). The key length makes the prefix
 * of one key's map entries unambiguous, so a prefix scan never reaches another key's entries.
 *
 * <p><b>Values</b>: {@code [version 0x01][flags][timestamp int64 BE, if flag TTL][payload]}. The
 * timestamp is the entry's last access (TTL clock).
 *
 * <p><b>Lists</b> (design record 012) keep one entry per element, so that an append writes only the
 * new element: a header at the list's own key ({@code keyPrefix}, no suffix) {@code [version
 * 0x02][flags][timestamp int64 BE, if flag TTL][next sequence int64 BE]}, and each element at
 * {@code keyPrefix + [sequence int64 BE]} as an ordinary version-1 value with its own timestamp.
 * Sequences grow with every append, so key order is insertion order. Lists written before that
 * format (version 1) were one value at the header's key whose payload is a sequence of elements
 * {@code [timestamp int64, if flag TTL][length int32][bytes]}; {@link #elements} still reads them
 * so that the list state migrates them on first access. Namespaced lists (a window's contents) keep
 * the same layout under scope {@code 'N'}, and their elements reach the changelog in batch records,
 * one per list and commit, whose scope is the list's key (design record 032).
 *
 * <p><b>Segmented buffers</b> (design record 018, the interval join) key their entries {@code
 * ['j'][nameLength][name][segment int64 BE][keyLength int32 BE][key][time int64 BE]}, with the sign
 * bit of segment and time flipped so that byte order is numeric order for negative times too; the
 * value is an ordinary version-1 value. {@code segment = floor(time / segmentMs)}. The buffer's
 * bare prefix {@code ['j'][nameLength][name]} holds the segment length it was written with (a
 * version-1 value of int64 BE), which sorts before every entry.
 */
final class StateFormat {
  /** Format version of values. */
  public static final byte VERSION_1 = 0x01;

  /** Scope byte of keyed state. */
  public static final byte SCOPE_KEYED = 'k';

  /** Scope byte of operator (task-scoped) state. */
  public static final byte SCOPE_OPERATOR = 'o';

  /** Scope byte of broadcast state: task-scoped maps, equal on every task. */
  public static final byte SCOPE_BROADCAST = 'b';

  /** Scope byte of a broadcast input's position (next offset per partition) in the task. */
  public static final byte SCOPE_POSITION = 'p';

  /** Scope byte of state scoped to a key and a namespace (a window). */
  public static final byte SCOPE_NAMESPACED = 'n';

  /**
   * Scope byte of a time-segmented buffer (the interval join's, design record 018): entries ordered
   * by segment, then key, then time, so that a whole segment is one key range.
   */
  public static final byte SCOPE_SEGMENTED = 'j';

  /**
   * Scope byte of a time-segmented buffer whose entries reach the changelog in batch records, one
   * per segment and commit (design record 024): the same layout as {@link #SCOPE_SEGMENTED} under
   * another first byte, so that the commit tells these entries from ones logged one by one (which a
   * buffer moves here at open), plus one marker per batch at {@link #batchMarker}.
   */
  public static final byte SCOPE_SEGMENTED_BATCHED = 'J';

  /**
   * Scope byte of a namespaced list state (a window's contents) whose elements reach the changelog
   * in batch records, one per list and commit (design record 032): the layout of {@link
   * #SCOPE_NAMESPACED} lists under another first byte, so that the commit tells these elements from
   * ones logged one by one (which a list state moves here at open); each list's scope is its own
   * key ({@code statePrefix + [keyLength][key][namespaceLength][namespace]}), and its batches'
   * markers are {@link #batchMarker}s of that scope.
   */
  public static final byte SCOPE_NAMESPACED_LIST = 'N';

  /** Format version of a list header (design record 012). */
  public static final byte VERSION_LIST_HEADER = 0x02;

  /** Length of a list element's suffix: its sequence number. */
  public static final int SEQUENCE_BYTES = 8;

  static final byte FLAG_TTL = 0x01;
  private static final int HEADER = 2;

  private StateFormat() {}

  /** The prefix shared by every entry of one state: {@code [scope][len][name]}. */
  public static byte[] statePrefix(byte scope, String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 255) {
      throw new IllegalArgumentException("State name too long: " + name);
    }
    byte[] p = new byte[2 + n.length];
    p[0] = scope;
    p[1] = (byte) n.length;
    System.arraycopy(n, 0, p, 2, n.length);
    return p;
  }

  /** {@code statePrefix + keyLength + key}: every entry of one key starts with this. */
  public static byte[] keyPrefix(byte[] statePrefix, byte[] key) {
    return ByteBuffer.allocate(statePrefix.length + 4 + key.length)
        .put(statePrefix)
        .putInt(key.length)
        .put(key)
        .array();
  }

  /**
   * {@code keyPrefix(keyPrefix(statePrefix, key), namespace)} in one array: every entry of one key
   * in one namespace starts with this.
   */
  public static byte[] keyPrefix(byte[] statePrefix, byte[] key, byte[] namespace) {
    return ByteBuffer.allocate(statePrefix.length + 4 + key.length + 4 + namespace.length)
        .put(statePrefix)
        .putInt(key.length)
        .put(key)
        .putInt(namespace.length)
        .put(namespace)
        .array();
  }

  /** {@code statePrefix + [segment]}: every entry of one segment of a buffer starts with this. */
  public static byte[] segmentPrefix(byte[] statePrefix, long segment) {
    return ByteBuffer.allocate(statePrefix.length + 8)
        .put(statePrefix)
        .putLong(segment ^ Long.MIN_VALUE)
        .array();
  }

  /**
   * {@code statePrefix + [segment][keyLength][key]}: every entry of one key in one segment starts
   * with this; {@link #timedKey} appends the time.
   */
  public static byte[] segmentKeyPrefix(byte[] statePrefix, long segment, byte[] key) {
    return ByteBuffer.allocate(statePrefix.length + 8 + 4 + key.length)
        .put(statePrefix)
        .putLong(segment ^ Long.MIN_VALUE)
        .putInt(key.length)
        .put(key)
        .array();
  }

  /**
   * The marker of one batch record of a segment (design record 024): {@code 00 42 + segmentPrefix +
   * [sequence int64 BE]}, the batch record's key in the changelog (see {@code ChangelogFormat}),
   * held in the store with an empty value.
   */
  public static byte[] batchMarker(byte[] segmentPrefix, long sequence) {
    return dev.weir.store.ChangelogFormat.batchKey(segmentPrefix, sequence);
  }

  /**
   * The length of the scope of a batched entry key: a buffer entry's {@code statePrefix +
   * [segment]} (design record 024) or a batched list element's list key (design record 032); -1
   * when {@code key} is not such an entry (another scope, a buffer's bare prefix, a list header).
   */
  public static int batchedEntryScopeLength(byte[] key) {
    if (key.length < 2) {
      return -1;
    }
    if (key[0] == SCOPE_SEGMENTED_BATCHED) {
      int scope = 2 + (key[1] & 0xff) + 8;
      return key.length > scope ? scope : -1;
    }
    if (key[0] == SCOPE_NAMESPACED_LIST) {
      return listElementScopeLength(key);
    }
    return -1;
  }

  /**
   * For a key of a batched namespaced list ({@link #SCOPE_NAMESPACED_LIST}): the length of its list
   * key (the batch scope) when {@code key} is an element ({@code listKey + [sequence]}), -1 for the
   * header (the list key itself).
   */
  private static int listElementScopeLength(byte[] key) {
    int at = 2 + (key[1] & 0xff);
    for (int field = 0; field < 2; field++) { // the key, then the namespace
      if (key.length < at + 4) {
        return -1;
      }
      int length = readInt(key, at);
      if (length < 0 || key.length - at - 4 < length) {
        return -1;
      }
      at += 4 + length;
    }
    return key.length == at + SEQUENCE_BYTES ? at : -1;
  }

  /**
   * Whether {@code key} is an element of a batched namespaced list ({@code listKey + [sequence]}),
   * a key read only by scans of its list: the transactional store keeps no cached copy of it after
   * a commit (design record 037).
   */
  public static boolean isListElement(byte[] key) {
    return key.length > 1 && key[0] == SCOPE_NAMESPACED_LIST && listElementScopeLength(key) > 0;
  }

  /**
   * Whether a batched entry's scope is a list's (design record 032), whose single elements may be
   * deleted while the list lives on, rather than a buffer segment's (design record 024), which goes
   * only whole.
   */
  public static boolean isListScope(byte[] key) {
    return isListScope(key, 0, key.length);
  }

  /** {@link #isListScope(byte[])} of the key {@code bytes[offset, offset + length)}. */
  public static boolean isListScope(byte[] bytes, int offset, int length) {
    return length > 0 && bytes[offset] == SCOPE_NAMESPACED_LIST;
  }

  /**
   * Whether {@code key} is a batch key of a list's scope, or the start of the range of such keys
   * ({@code 00 42 'N' ...}): the markers of a window list's batches, which the local store keeps
   * with their batches as values (design record 039), read only by scans of their list's markers.
   */
  public static boolean isListBatchKey(byte[] key) {
    return ChangelogFormat.isBatchKeyOfScope(key, SCOPE_NAMESPACED_LIST);
  }

  /**
   * Whether a bounded scan starting at {@code from} reads a window list's elements or its batches'
   * markers, whose range the list's purge deletes right after (design record 037): the scans the
   * transactional store notes for that delete.
   */
  public static boolean isListRangeStart(byte[] from) {
    return isListScope(from) || isListBatchKey(from);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  /** {@code keyPrefix + [time int64 BE, sign bit flipped]}. */
  public static byte[] timedKey(byte[] keyPrefix, long time) {
    return ByteBuffer.allocate(keyPrefix.length + 8)
        .put(keyPrefix)
        .putLong(time ^ Long.MIN_VALUE)
        .array();
  }

  /** The time of an entry key built by {@link #timedKey}. */
  public static long timeOf(byte[] timedKey) {
    return ByteBuffer.wrap(timedKey, timedKey.length - 8, 8).getLong() ^ Long.MIN_VALUE;
  }

  /** {@code keyPrefix + suffix}. */
  public static byte[] entryKey(byte[] keyPrefix, byte[] suffix) {
    byte[] k = Arrays.copyOf(keyPrefix, keyPrefix.length + suffix.length);
    System.arraycopy(suffix, 0, k, keyPrefix.length, suffix.length);
    return k;
  }

  /** The suffix (map key) of an entry key that starts with {@code keyPrefix}. */
  public static byte[] suffix(byte[] entryKey, int keyPrefixLength) {
    return Arrays.copyOfRange(entryKey, keyPrefixLength, entryKey.length);
  }

  /** The state name of an entry key. */
  public static String stateName(byte[] entryKey) {
    return new String(entryKey, 2, entryKey[1] & 0xff, StandardCharsets.UTF_8);
  }

  /** Encodes a value without TTL. */
  public static byte[] value(byte[] payload) {
    byte[] v = new byte[HEADER + payload.length];
    System.arraycopy(payload, 0, v, writeValueHeader(v, 0), payload.length);
    return v;
  }

  /** The bytes {@link #value} puts before the payload. */
  static int valueHeaderBytes() {
    return HEADER;
  }

  /**
   * Writes what {@link #value} puts before the payload at {@code out[at]}.
   *
   * @return where the payload goes
   */
  static int writeValueHeader(byte[] out, int at) {
    out[at] = VERSION_1;
    out[at + 1] = 0;
    return at + HEADER;
  }

  /** Encodes a value with its TTL timestamp. */
  public static byte[] valueWithTimestamp(byte[] payload, long timestamp) {
    return ByteBuffer.allocate(HEADER + 8 + payload.length)
        .put(VERSION_1)
        .put(FLAG_TTL)
        .putLong(timestamp)
        .put(payload)
        .array();
  }

  /** Checks the version byte; returns the value's flags. */
  static byte flags(byte[] value) {
    return flags(value, 0, value.length);
  }

  /** {@link #flags(byte[])} of the value {@code bytes[offset, offset + length)}. */
  static byte flags(byte[] bytes, int offset, int length) {
    if (length < HEADER || bytes[offset] != VERSION_1) {
      throw new IllegalStateException(
          "State value in unknown format (version byte "
              + (length == 0 ? "missing" : String.valueOf(bytes[offset]))
              + "); it was written by a newer Weir. Roll back to that version or reset the"
              + " application's state");
    }
    return bytes[offset + 1];
  }

  /** Whether the value carries a TTL timestamp. */
  public static boolean hasTimestamp(byte[] value) {
    return (flags(value) & FLAG_TTL) != 0;
  }

  /** The TTL timestamp of a value that has one. */
  public static long timestamp(byte[] value) {
    return ByteBuffer.wrap(value, HEADER, 8).getLong();
  }

  /**
   * Where the payload of the value {@code bytes[offset, offset + length)} starts, checking its
   * version as {@link #payload} does.
   */
  static int payloadOffset(byte[] bytes, int offset, int length) {
    int from = HEADER + ((flags(bytes, offset, length) & FLAG_TTL) != 0 ? 8 : 0);
    if (from > length) {
      throw new IllegalStateException("State value truncated; the state store is corrupt");
    }
    return offset + from;
  }

  /** The payload of a value. */
  public static byte[] payload(byte[] value) {
    int from = HEADER + (hasTimestamp(value) ? 8 : 0);
    return Arrays.copyOfRange(value, from, value.length);
  }

  /** A decoded list header: the next element's sequence and the TTL timestamp, if any. */
  public record ListHeader(long nextSequence, long timestamp) {
    boolean hasTimestamp() {
      return timestamp != Long.MIN_VALUE;
    }
  }

  /** Encodes a list header; {@code timestamp} is written unless it is {@code Long.MIN_VALUE}. */
  public static byte[] listHeader(long nextSequence, long timestamp) {
    boolean ttl = timestamp != Long.MIN_VALUE;
    ByteBuffer b =
        ByteBuffer.allocate(HEADER + (ttl ? 8 : 0) + 8)
            .put(VERSION_LIST_HEADER)
            .put(ttl ? FLAG_TTL : 0);
    if (ttl) {
      b.putLong(timestamp);
    }
    return b.putLong(nextSequence).array();
  }

  /** Whether a value at a list's key is a header (else it is a version-1 list written whole). */
  public static boolean isListHeader(byte[] value) {
    return value.length > 0 && value[0] == VERSION_LIST_HEADER;
  }

  /** Decodes a list header. */
  public static ListHeader listHeader(byte[] value) {
    if (value.length < HEADER + 8 || value[0] != VERSION_LIST_HEADER) {
      throw new IllegalStateException(
          "List header in unknown format (version byte "
              + (value.length == 0 ? "missing" : String.valueOf(value[0]))
              + "); it was written by a newer Weir. Roll back to that version or reset the"
              + " application's state");
    }
    ByteBuffer b = ByteBuffer.wrap(value, HEADER, value.length - HEADER);
    long ts = (value[1] & FLAG_TTL) != 0 ? b.getLong() : Long.MIN_VALUE;
    return new ListHeader(b.getLong(), ts);
  }

  /** {@code listKey + [sequence int64 BE]}: the key of one list element. */
  public static byte[] elementKey(byte[] listKey, long sequence) {
    return ByteBuffer.allocate(listKey.length + SEQUENCE_BYTES)
        .put(listKey)
        .putLong(sequence)
        .array();
  }

  /** One list element with its TTL timestamp ({@code Long.MIN_VALUE} when TTL is off). */
  public record Element(long timestamp, byte[] bytes) {}

  /**
   * Encodes list elements as one version-1 value, the layout before design record 012; only tests
   * write it now (the list state reads and migrates it).
   */
  public static byte[] list(List<Element> elements, boolean ttl) {
    int size = HEADER;
    for (Element e : elements) {
      size += (ttl ? 8 : 0) + 4 + e.bytes().length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).put(VERSION_1).put(ttl ? FLAG_TTL : 0);
    for (Element e : elements) {
      if (ttl) {
        b.putLong(e.timestamp());
      }
      b.putInt(e.bytes().length).put(e.bytes());
    }
    return b.array();
  }

  /** Decodes a version-1 list value (see {@link #list}). */
  public static List<Element> elements(byte[] value) {
    boolean ttl = hasTimestamp(value);
    ByteBuffer b = ByteBuffer.wrap(value, HEADER, value.length - HEADER);
    List<Element> out = new ArrayList<>();
    while (b.hasRemaining()) {
      long ts = ttl ? b.getLong() : Long.MIN_VALUE;
      byte[] bytes = new byte[b.getInt()];
      b.get(bytes);
      out.add(new Element(ts, bytes));
    }
    return out;
  }
}
