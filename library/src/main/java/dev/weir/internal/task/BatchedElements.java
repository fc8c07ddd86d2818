package dev.weir.internal.task;

import dev.weir.store.ChangelogFormat;
import dev.weir.store.KeyValueEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The elements the batches of one window list hold, applied in the batches' order, for {@link
 * ListStateImpl}'s general read (design record 039).
 */
final class BatchedElements implements ChangelogFormat.BatchEntryVisitor {
  private final int listKeyLength;
  // In sequence order while the batches append (the usual case: each batch holds the elements
  // one commit appended); a sorted map from the first entry out of that order on.
  private final List<KeyValueEntry> appended = new ArrayList<>();
  private java.util.TreeMap<Long, KeyValueEntry> sorted;
  private Set<Long> deleted;

  BatchedElements(int listKeyLength) {
    this.listKeyLength = listKeyLength;
  }

  @Override
  public void visit(byte[] key, byte[] value, int offset, int length) {
    long seq = ListStateImpl.sequence(key, listKeyLength);
    if (sorted == null
        && value != null
        && (appended.isEmpty()
            || seq
                > ListStateImpl.sequence(appended.get(appended.size() - 1).key(), listKeyLength))) {
      appended.add(KeyValueEntry.of(key, Arrays.copyOfRange(value, offset, offset + length)));
      return;
    }
    if (sorted == null) {
      sorted = new java.util.TreeMap<>();
      for (KeyValueEntry e : appended) {
        sorted.put(ListStateImpl.sequence(e.key(), listKeyLength), e);
      }
    }
    if (value == null) {
      sorted.remove(seq);
      if (deleted == null) {
        deleted = new HashSet<>();
      }
      deleted.add(seq);
    } else {
      sorted.put(seq, KeyValueEntry.of(key, Arrays.copyOfRange(value, offset, offset + length)));
      if (deleted != null) {
        deleted.remove(seq);
      }
    }
  }

  /** These elements merged with the entries of the list's own range, in sequence order. */
  List<KeyValueEntry> mergedWith(List<KeyValueEntry> own) {
    List<KeyValueEntry> batched = sorted == null ? appended : new ArrayList<>(sorted.values());
    if (own.isEmpty()) {
      return batched;
    }
    if (batched.isEmpty() && deleted == null) {
      return own;
    }
    List<KeyValueEntry> out = new ArrayList<>(batched.size() + own.size());
    int i = 0;
    int j = 0;
    while (i < batched.size() || j < own.size()) {
      if (j == own.size()) {
        out.add(batched.get(i++));
        continue;
      }
      long o = ListStateImpl.sequence(own.get(j).key(), listKeyLength);
      if (deleted != null && deleted.contains(o)) {
        j++; // a committed entry a batch deleted
        continue;
      }
      if (i == batched.size()) {
        out.add(own.get(j++));
        continue;
      }
      long b = ListStateImpl.sequence(batched.get(i).key(), listKeyLength);
      if (b < o) {
        out.add(batched.get(i++));
      } else if (o < b) {
        out.add(own.get(j++));
      } else {
        out.add(batched.get(i++)); // the batch replaced the committed entry
        j++;
      }
    }
    return out;
  }
}
