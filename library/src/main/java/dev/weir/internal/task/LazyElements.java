package dev.weir.internal.task;

import dev.weir.store.ChangelogFormat;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A window list's elements, decoded as an iterator reaches them (design record 041): built by
 * {@link ListStateImpl#lazyElements} from the payloads' places in the arrays the list's read
 * returned ({@link Slices}), for a window function without an evictor. Each iteration decodes anew;
 * the arrays are not modified.
 *
 * @param <V> the element type
 */
final class LazyElements<V> implements Iterable<V> {
  private final String serdeTopic;
  private final PayloadDecoder<V> decoder;
  private final Slices slices;

  LazyElements(String serdeTopic, PayloadDecoder<V> decoder, Slices slices) {
    this.serdeTopic = serdeTopic;
    this.decoder = decoder;
    this.slices = slices;
  }

  int size() {
    return slices.size;
  }

  @Override
  public Iterator<V> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < slices.size;
      }

      @Override
      public V next() {
        if (next >= slices.size) {
          throw new NoSuchElementException();
        }
        int i = next++;
        return decoder.decode(serdeTopic, slices.arrays[i], slices.offsets[i], slices.lengths[i]);
      }
    };
  }

  /** Decodes one element from its serialized form, {@code bytes[offset, offset + length)}. */
  @FunctionalInterface
  interface PayloadDecoder<V> {
    V decode(String serdeTopic, byte[] bytes, int offset, int length);
  }

  /**
   * The payloads of a list's elements as ranges of the arrays that hold them, gathered while their
   * sequences ascend ({@code outOfOrder} from the first that does not).
   */
  static final class Slices implements ChangelogFormat.BatchSliceVisitor {
    private byte[][] arrays = new byte[16][];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int size;
    private long last = -1;
    boolean outOfOrder;

    @Override
    public void visit(
        byte[] encoded, int suffixOffset, int suffixLength, int valueOffset, int valueLength) {
      if (outOfOrder) {
        return;
      }
      if (suffixLength != StateFormat.SEQUENCE_BYTES || valueLength < 0) {
        outOfOrder = true; // not an element of this list's: left to the general read
        return;
      }
      outOfOrder =
          !append(ListStateImpl.sequence(encoded, suffixOffset), encoded, valueOffset, valueLength);
    }

    /** Appends an element's payload, or notes that its sequence does not follow the last. */
    void appendOrMark(long seq, byte[] value, int offset, int length) {
      if (!outOfOrder && !append(seq, value, offset, length)) {
        outOfOrder = true;
      }
    }

    /** Appends an element's payload if its sequence follows the last; false if not. */
    boolean append(long seq, byte[] value, int offset, int length) {
      if (seq <= last) {
        return false;
      }
      last = seq;
      if (size == arrays.length) {
        int n = size * 2;
        arrays = Arrays.copyOf(arrays, n);
        offsets = Arrays.copyOf(offsets, n);
        lengths = Arrays.copyOf(lengths, n);
      }
      int from = StateFormat.payloadOffset(value, offset, length);
      arrays[size] = value;
      offsets[size] = from;
      lengths[size] = offset + length - from;
      size++;
      return true;
    }
  }
}
