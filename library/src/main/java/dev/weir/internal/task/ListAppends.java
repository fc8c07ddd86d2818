package dev.weir.internal.task;

import dev.weir.store.BatchScopeRule;
import dev.weir.store.ChangelogFormat;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The elements appended to window lists of one store since the last commit, kept here instead of in
 * the task's transactional overlay (design record 042): one growing array per list, already in the
 * layout of the list's next changelog batch, so an append costs a copy of its bytes instead of a
 * hash map entry, a sorted map entry, a key and a value array, and the commit's batch is a copy of
 * that array.
 *
 * <p>Only for lists whose batches the store keeps whole (design record 039) and that have no TTL.
 * For such a list, while it has an entry here, the entry is the truth about its uncommitted appends
 * and its next sequence: {@link ListStateImpl} reads its header from here, reads these elements
 * after the store's, writes its header only through {@link TaskState#prepareCommit}, and drops the
 * entry whenever it deletes the list. Every element the list state writes to such a list goes
 * through here, so the elements held here follow every element the store holds for the list.
 *
 * <p>{@link TaskState#prepareCommit} turns each list into its header's put and one batch record per
 * {@link TaskState#MAX_BATCH_BYTES} (in list key order, as the overlay's walk would), then forgets
 * them; {@link TaskState#abort} forgets them too. Used only from the task's thread.
 */
final class ListAppends {
  /** An element's entry: the key suffix's length (a varint), then its sequence. */
  private static final int ENTRY_HEAD = 1 + StateFormat.SEQUENCE_BYTES;

  private static final int FIRST_CHUNK_BYTES = 256;

  /**
   * Chunk arrays kept between commits for the next lists, at most this many bytes per store: a busy
   * list starts where the last one ended instead of growing from {@link #FIRST_CHUNK_BYTES}.
   */
  static final int SPARE_BYTES = 512 << 10;

  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
  private long spareBytes;

  private final BatchScopeRule storedWhole;
  private final Map<ListKey, Appended> lists = new HashMap<>();
  private final ListKey probe = new ListKey();
  // The last list found, by the identity of the key array it was asked for with: a record's list
  // key is one array for all the accesses of its processing (StateHandle.currentKeyPrefix).
  private byte[] lastAsked;
  private Appended lastFound;
  private long bytes;

  /**
   * @param storedWhole the scopes whose batches the store keeps whole
   */
  ListAppends(BatchScopeRule storedWhole) {
    this.storedWhole = storedWhole;
  }

  /** Whether a list of state prefix {@code prefix} may keep its appends here. */
  boolean accepts(byte[] prefix) {
    return StateFormat.isListScope(prefix) && storedWhole.test(prefix);
  }

  /** The appends of the list at {@code listKey} since the last commit; null when there are none. */
  Appended find(byte[] listKey) {
    if (listKey == lastAsked) {
      return lastFound;
    }
    Appended a = lists.get(probe.of(listKey));
    probe.bytes = null;
    lastAsked = listKey;
    lastFound = a;
    return a;
  }

  /**
   * Appends an element to the list at {@code listKey}: its value is {@link StateFormat#value} of
   * {@code payload}, without a TTL stamp.
   *
   * @param listKey the list's key; kept (not modified) when the list is new here
   * @param sequence the element's sequence: above every element the list holds
   * @param payload the serialized element; copied
   */
  void append(byte[] listKey, long sequence, byte[] payload) {
    append(listKey, sequence, payload, 0, payload.length, true);
  }

  /**
   * Appends an element whose stored value (as {@link StateFormat#value} writes it) is {@code
   * value[offset, offset + length)}: an element moved or kept whole.
   */
  void appendStored(byte[] listKey, long sequence, byte[] value, int offset, int length) {
    if ((StateFormat.flags(value, offset, length) & StateFormat.FLAG_TTL) != 0) {
      throw new IllegalStateException("A list without TTL holds an element with a TTL stamp");
    }
    append(listKey, sequence, value, offset, length, false);
  }

  private void append(
      byte[] listKey, long sequence, byte[] src, int offset, int length, boolean addHeader) {
    Appended a = find(listKey);
    if (a == null) {
      byte[] chunk = spare.pollLast();
      if (chunk == null) {
        chunk = new byte[FIRST_CHUNK_BYTES];
      } else {
        spareBytes -= chunk.length;
      }
      a = new Appended(listKey, chunk);
      bytes += chunk.length;
      lists.put(new ListKey().of(listKey), a);
      lastAsked = listKey;
      lastFound = a;
    } else if (sequence < a.next) {
      throw new IllegalStateException(
          "List element appended out of order: sequence " + sequence + " after " + (a.next - 1));
    }
    int valueLength = addHeader ? StateFormat.valueHeaderBytes() + length : length;
    int entry = ENTRY_HEAD + ChangelogFormat.varintLength(valueLength) + valueLength;
    bytes += a.reserve(entry);
    byte[] c = a.chunk;
    int at = a.size;
    c[at++] = StateFormat.SEQUENCE_BYTES;
    for (int shift = 56; shift >= 0; shift -= 8) {
      c[at++] = (byte) (sequence >>> shift);
    }
    at = ChangelogFormat.writeVarint(c, at, valueLength);
    if (addHeader) {
      at = StateFormat.writeValueHeader(c, at);
    }
    System.arraycopy(src, offset, c, at, length);
    a.size = at + length;
    a.count++;
    a.next = sequence + 1;
  }

  /** Forgets the appends of the list at {@code listKey} (the list is being deleted). */
  void drop(byte[] listKey) {
    Appended a = lists.remove(probe.of(listKey));
    probe.bytes = null;
    if (a != null) {
      bytes -= a.bytes();
      keep(a);
    }
    lastAsked = null;
    lastFound = null;
  }

  /** Whether no list has appends. */
  boolean isEmpty() {
    return lists.isEmpty();
  }

  /** The lists with appends, in key order (the order the overlay's walk gives their batches). */
  List<Appended> inKeyOrder() {
    List<Appended> out = new ArrayList<>(lists.values());
    out.sort((x, y) -> Arrays.compareUnsigned(x.listKey, y.listKey));
    return out;
  }

  /** Forgets every list's appends: they were committed, or the transaction was dropped. */
  void clear() {
    for (Appended a : lists.values()) {
      keep(a);
    }
    lists.clear();
    bytes = 0;
    lastAsked = null;
    lastFound = null;
  }

  /**
   * Keeps a forgotten list's open chunk for a later list, within {@link #SPARE_BYTES}, unless a
   * reader was given it in place (a window function's elements may be iterated after the list is
   * gone; they must not change under it).
   */
  private void keep(Appended a) {
    byte[] c = a.chunk;
    a.chunk = null;
    if (c != null && !a.readInPlace && spareBytes + c.length <= SPARE_BYTES) {
      spare.addLast(c);
      spareBytes += c.length;
    }
  }

  /** An estimate of the heap the appends hold (not counting the spare chunks). */
  long bytes() {
    return bytes;
  }

  /** The appends of one list since the last commit, as the values of its next batch records. */
  static final class Appended {
    final byte[] listKey;
    private long next;
    private int count;
    // Full chunks, each a whole batch value of at most MAX_BATCH_BYTES; then the open one.
    private List<byte[]> full;
    private byte[] chunk;
    private int size;
    private boolean readInPlace;

    private Appended(byte[] listKey, byte[] chunk) {
      this.listKey = listKey;
      this.chunk = chunk;
      chunk[0] = ChangelogFormat.VERSION_2_BATCH;
      size = 1;
    }

    /** The sequence of the list's next element. */
    long nextSequence() {
      return next;
    }

    /** Raises the next sequence to {@code n} if it is below (the list's header said more). */
    void raiseNextSequence(long n) {
      if (n > next) {
        next = n;
      }
    }

    /** The number of elements appended. */
    int count() {
      return count;
    }

    private long bytes() {
      long b = chunk.length;
      if (full != null) {
        for (byte[] f : full) {
          b += f.length;
        }
      }
      return b;
    }

    /** Makes room for an entry of {@code entry} bytes; returns the bytes newly held. */
    private long reserve(int entry) {
      if (size + entry <= chunk.length) {
        return 0;
      }
      long before = chunk.length;
      if (size + entry > TaskState.MAX_BATCH_BYTES && size > 1) {
        if (full == null) {
          full = new ArrayList<>(2);
        }
        byte[] closed = size == chunk.length ? chunk : Arrays.copyOf(chunk, size);
        full.add(closed);
        chunk = new byte[Math.max(FIRST_CHUNK_BYTES, 1 + entry)];
        chunk[0] = ChangelogFormat.VERSION_2_BATCH;
        size = 1;
        return closed.length + chunk.length - before;
      } else {
        int grown =
            (int) Math.min(Math.max(chunk.length * 2L, size + (long) entry), Integer.MAX_VALUE);
        if (grown > TaskState.MAX_BATCH_BYTES) {
          grown = Math.max(TaskState.MAX_BATCH_BYTES, size + entry);
        }
        chunk = Arrays.copyOf(chunk, grown);
        return chunk.length - before;
      }
    }

    /**
     * The batch record values, in order: each a version-2 batch of the list's elements, of at most
     * {@link TaskState#MAX_BATCH_BYTES} unless one element alone is larger.
     */
    List<byte[]> batchValues() {
      List<byte[]> out = new ArrayList<>(full == null ? 1 : full.size() + 1);
      if (full != null) {
        out.addAll(full);
      }
      if (size > 1) {
        out.add(Arrays.copyOf(chunk, size));
      }
      return out;
    }

    /**
     * Visits each element: its sequence and the range of its stored value (as {@link
     * StateFormat#value} writes it) in the array holding it.
     */
    void forEach(ElementVisitor visitor) {
      ChangelogFormat.BatchSliceVisitor each =
          (encoded, suffixOffset, suffixLength, valueOffset, valueLength) ->
              visitor.visit(
                  ListStateImpl.sequence(encoded, suffixOffset), encoded, valueOffset, valueLength);
      if (full != null) {
        for (byte[] f : full) {
          ChangelogFormat.forEachBatchSlice(f, each);
        }
      }
      ChangelogFormat.forEachBatchSlice(chunk, size, each);
    }

    /**
     * As {@link #forEach}, for a reader that keeps the arrays it is given: the open chunk is then
     * never reused for another list.
     */
    void forEachInPlace(ElementVisitor visitor) {
      readInPlace = true;
      forEach(visitor);
    }
  }

  /** Receives a list element held here. */
  @FunctionalInterface
  interface ElementVisitor {
    /**
     * @param sequence the element's sequence
     * @param bytes the array holding its stored value; not modified, not kept
     * @param offset where the value starts
     * @param length the value's length
     */
    void visit(long sequence, byte[] bytes, int offset, int length);
  }

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** A list key as a hash map key, compared by content. */
  private static final class ListKey {
    byte[] bytes;
    int hash;

    ListKey of(byte[] key) {
      bytes = key;
      hash = hash(key);
      return this;
    }

    /** A hash of the key's bytes, eight at a time. */
    private static int hash(byte[] key) {
      long h = key.length;
      int i = 0;
      for (; i + Long.BYTES <= key.length; i += Long.BYTES) {
        h = (h + (long) LONG.get(key, i)) * 0x9E3779B97F4A7C15L;
      }
      for (; i < key.length; i++) {
        h = (h + key[i]) * 0x9E3779B97F4A7C15L;
      }
      return (int) (h ^ (h >>> 32));
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ListKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }
  }
}
