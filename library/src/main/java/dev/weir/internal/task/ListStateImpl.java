package dev.weir.internal.task;

import dev.weir.internal.task.StateFormat.Element;
import dev.weir.internal.task.StateFormat.ListHeader;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * List state with one stored entry per element (design record 012): a header at the list's key
 * holds the next sequence number, and element {@code i} lives at {@code key + sequence}, so an
 * append reads the header and writes the element and the header, whatever the list's length, and
 * the changelog carries only the new elements (plus the header once per commit). With TTL each
 * element has its own clock and the header carries the list's last write, which is never older than
 * any element's: an expired header means an expired list.
 *
 * <p>A window's lists (scope {@link StateFormat#SCOPE_NAMESPACED_LIST}) reach the changelog as one
 * batch per list and commit (design record 032), which a store may keep whole (039); without TTL,
 * in such a store, their appends since the last commit wait in {@link ListAppends} instead of the
 * store, which then also holds the list's next sequence (042).
 *
 * <p>A list written whole by an earlier Weir (a version-1 value at the header's key) is split into
 * elements the first time it is touched.
 */
final class ListStateImpl<T> extends StateHandle<T> implements ListState<T> {
  /** One live element as stored: its key (for targeted deletes) and its value. */
  record Stored<T>(byte[] key, T value, byte[] stored) {}

  /**
   * Whether the elements reach the changelog in batch records, one per list and commit (design
   * record 032): namespaced lists (a window's contents), under {@link
   * StateFormat#SCOPE_NAMESPACED_LIST}.
   */
  private final boolean batched;

  /**
   * Where this list's appends since the last commit live instead of the store (design record 042):
   * for a batched list without TTL whose batches the store keeps whole; null otherwise.
   */
  private final ListAppends appends;

  ListStateImpl(OperatorStates owner, ListStateDescriptor<T> d, boolean keyed) {
    super(owner, d, keyed);
    this.batched = false;
    this.appends = null;
  }

  /**
   * A namespaced list; with a prefix of scope {@link StateFormat#SCOPE_NAMESPACED_LIST} its
   * elements are logged in batches, and entries of the per-element layout (scope {@code 'n'}, same
   * name) are moved there first.
   */
  ListStateImpl(OperatorStates owner, ListStateDescriptor<T> d, byte[] namespacedPrefix) {
    super(owner, d, true, namespacedPrefix, true);
    this.batched = namespacedPrefix[0] == StateFormat.SCOPE_NAMESPACED_LIST;
    ListAppends a = owner.listAppends();
    this.appends = batched && !ttl && a != null && a.accepts(namespacedPrefix) ? a : null;
    if (batched) {
      moveFromPerElementLayout();
    }
  }

  /**
   * Moves the entries this state wrote under {@link StateFormat#SCOPE_NAMESPACED} (logged one
   * record per element, before design record 032) to its batched scope, byte for byte but the
   * first: the old keys are deleted one by one, so their tombstones reach the changelog, and the
   * moved elements go out in batches at the next commit. Without the move, an old per-element
   * record would stay in the compacted changelog after the batch tombstones that replaced it
   * expired, and a restore would revive it.
   */
  private void moveFromPerElementLayout() {
    byte[] old = prefix.clone();
    old[0] = StateFormat.SCOPE_NAMESPACED;
    List<KeyValueEntry> entries = new ArrayList<>();
    try (KeyValueIterator it = store.range(old, prefixEnd(old))) {
      it.forEachRemaining(entries::add);
    }
    for (KeyValueEntry e : entries) {
      byte[] moved = e.key().clone();
      moved[0] = StateFormat.SCOPE_NAMESPACED_LIST;
      store.put(moved, e.value());
      store.delete(e.key());
    }
  }

  // ---- reading

  /**
   * The header of the list at {@code listKey}, migrating a version-1 list first; null when there is
   * no list.
   */
  private ListHeader header(byte[] listKey) {
    ListAppends.Appended a = appended(listKey);
    if (a != null) {
      return new ListHeader(a.nextSequence(), Long.MIN_VALUE);
    }
    byte[] v = store.get(listKey);
    if (v == null) {
      return null;
    }
    return StateFormat.isListHeader(v) ? StateFormat.listHeader(v) : migrate(listKey, v);
  }

  /** Splits a list stored whole (before design record 012) into one entry per element. */
  private ListHeader migrate(byte[] listKey, byte[] legacy) {
    List<Element> elements = StateFormat.elements(legacy);
    for (int i = 0; i < elements.size(); i++) {
      Element e = elements.get(i);
      store.put(StateFormat.elementKey(listKey, i), elementValue(e.timestamp(), e.bytes()));
    }
    return writeHeader(listKey, elements.size());
  }

  /** Whether the whole list is expired (and so must read as empty). */
  private boolean expiredList(ListHeader h, long now) {
    return ttl && !returnExpired && h.hasTimestamp() && expired(h.timestamp(), now);
  }

  /** The live elements of the list at {@code listKey}, in insertion order, as raw values. */
  private List<KeyValueEntry> liveEntries(byte[] listKey, long now) {
    List<KeyValueEntry> all = entries(listKey);
    if (!ttl || returnExpired) {
      return all;
    }
    List<KeyValueEntry> out = new ArrayList<>(all.size());
    for (KeyValueEntry e : all) {
      byte[] v = e.value();
      if (!(StateFormat.hasTimestamp(v) && expired(StateFormat.timestamp(v), now))) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Every element of the list at {@code listKey}, expired or not, in sequence (= insertion) order.
   *
   * <p>A batched list's committed elements live inside the values of its batches' markers (design
   * record 039): each marker, in sequence order, holds its batch exactly as the changelog carries
   * it, whose puts add elements and whose deletes (version 3) remove earlier ones. The entries of
   * the list's own range are its elements written since the last commit, and, in a store written
   * before that layout (whose markers are empty), its committed ones. One of those entries whose
   * sequence a batch also names is a committed entry the batch replaced (a release before record
   * 039 refreshed or deleted elements one by one), and the batch wins: this list state never writes
   * an element that a live batch of its list already names (a refresh, an evictor's removal and the
   * TTL cleanup rewrite the whole list after deleting its markers, see {@link #relog}).
   */
  private List<KeyValueEntry> entries(byte[] listKey) {
    List<KeyValueEntry> own = ownEntries(listKey);
    if (!batched) {
      return own;
    }
    // Scanned after the elements: the purge deletes the markers' range first, and the store
    // reuses the keys of the last scan for it (design record 037).
    BatchedElements fromBatches = new BatchedElements(listKey.length);
    byte[] markers = ChangelogFormat.batchKeyPrefix(listKey);
    try (KeyValueIterator it = store.range(markers, prefixEnd(markers))) {
      while (it.hasNext()) {
        KeyValueEntry m = it.next();
        if (m.value().length > 0) { // empty: the elements are entries of their own (see above)
          ChangelogFormat.forEachBatchEntry(m.key(), m.value(), fromBatches);
        }
      }
    }
    return withAppends(listKey, fromBatches.mergedWith(own));
  }

  /**
   * The appends of the list at {@code listKey} since the last commit (design record 042), or null.
   */
  private ListAppends.Appended appended(byte[] listKey) {
    return appends == null ? null : appends.find(listKey);
  }

  /**
   * The list's stored elements, in sequence order, followed by its appends since the last commit
   * (which follow every element the store holds for it; merged by sequence all the same).
   */
  private List<KeyValueEntry> withAppends(byte[] listKey, List<KeyValueEntry> stored) {
    ListAppends.Appended a = appended(listKey);
    if (a == null) {
      return stored;
    }
    List<KeyValueEntry> out = new ArrayList<>(stored.size() + a.count());
    int[] next = {0};
    a.forEach(
        (seq, bytes, offset, length) -> {
          int i = next[0];
          while (i < stored.size() && sequence(stored.get(i).key(), listKey.length) < seq) {
            out.add(stored.get(i++));
          }
          if (i < stored.size() && sequence(stored.get(i).key(), listKey.length) == seq) {
            i++; // never happens: an append's sequence is above the list's stored elements
          }
          next[0] = i;
          out.add(
              KeyValueEntry.of(
                  StateFormat.elementKey(listKey, seq),
                  Arrays.copyOfRange(bytes, offset, offset + length)));
        });
    for (int i = next[0]; i < stored.size(); i++) {
      out.add(stored.get(i));
    }
    return out;
  }

  /** The entries of the list's own range but its header, in key (= sequence) order. */
  private List<KeyValueEntry> ownEntries(byte[] listKey) {
    List<KeyValueEntry> own = new ArrayList<>();
    try (KeyValueIterator it = store.prefixScan(listKey)) {
      while (it.hasNext()) {
        KeyValueEntry e = it.next();
        if (e.key().length != listKey.length) { // not the header
          own.add(e);
        }
      }
    }
    return own;
  }

  /** The live elements with their keys, in insertion order (the window operator's evictors). */
  List<Stored<T>> stored() {
    byte[] listKey = currentKeyPrefix();
    long now = now();
    ListHeader h = header(listKey);
    if (h == null || expiredList(h, now)) {
      return new ArrayList<>();
    }
    List<KeyValueEntry> entries = liveEntries(listKey, now);
    List<Stored<T>> out = new ArrayList<>(entries.size());
    boolean refresh = ttl && refreshOnRead && !entries.isEmpty();
    if (refresh && batched) {
      // Refreshed by rewriting the whole list: an element a live batch names is never written
      // alone (see entries); the commit sends the tombstones of the list's batches and one batch
      // of the refreshed elements. Expired elements (unread) go with it.
      deleteEntries(listKey);
    }
    for (KeyValueEntry e : entries) {
      byte[] payload = StateFormat.payload(e.value());
      byte[] value = e.value();
      if (refresh) {
        value = elementValue(now, payload);
        store.put(e.key(), value);
      }
      out.add(new Stored<>(e.key(), deserialize(payload), value));
    }
    if (refresh) {
      writeHeader(listKey, h.nextSequence());
    }
    return out;
  }

  @Override
  public List<T> get() {
    List<Stored<T>> stored = stored();
    List<T> out = new ArrayList<>(stored.size());
    stored.forEach(s -> out.add(s.value()));
    return out;
  }

  /**
   * The live elements, for a reader that keeps none of their stored forms (a window function
   * without an evictor): the list's batches are read as {@link #stored} reads them, but each
   * element is decoded only when an iterator reaches it, so a long list costs its serialized bytes
   * rather than several objects per element for as long as the reader runs (design record 041).
   * Every iteration decodes anew.
   *
   * @return null when the list needs {@link #stored}'s general read: with TTL, unbatched, or when
   *     its entries are not one ascending run of appends (a batch with deletes, or entries of the
   *     layout before design record 039 among or before its batches' elements)
   */
  <V> LazyElements<V> lazyElements(LazyElements.PayloadDecoder<V> decoder) {
    if (!batched || ttl) {
      return null;
    }
    byte[] listKey = currentKeyPrefix();
    if (header(listKey) == null) {
      return new LazyElements<>(serdeTopic, decoder, new LazyElements.Slices());
    }
    // The same scans, in the same order, as entries (design record 037).
    List<KeyValueEntry> own = ownEntries(listKey);
    LazyElements.Slices slices = new LazyElements.Slices();
    byte[] markers = ChangelogFormat.batchKeyPrefix(listKey);
    try (KeyValueIterator it = store.range(markers, prefixEnd(markers))) {
      while (it.hasNext()) {
        byte[] batch = it.next().value();
        if (batch.length == 0) {
          continue; // the layout before design record 039: its elements are among own
        }
        ChangelogFormat.forEachBatchSlice(batch, slices); // a delete makes it decline
      }
    }
    if (slices.outOfOrder) {
      return null;
    }
    for (KeyValueEntry e : own) {
      byte[] k = e.key();
      if (k.length != listKey.length + StateFormat.SEQUENCE_BYTES
          || !slices.append(sequence(k, listKey.length), e.value(), 0, e.value().length)) {
        return null;
      }
    }
    ListAppends.Appended a = appended(listKey);
    if (a != null) {
      a.forEachInPlace(slices::appendOrMark);
      if (slices.outOfOrder) {
        return null;
      }
    }
    return new LazyElements<>(serdeTopic, decoder, slices);
  }

  // ---- writing

  private byte[] elementValue(long timestamp, byte[] payload) {
    return ttl && timestamp != Long.MIN_VALUE
        ? StateFormat.valueWithTimestamp(payload, timestamp)
        : StateFormat.value(payload);
  }

  /**
   * Writes the header; with TTL it is stamped now, not older than any element. A list with appends
   * since the last commit keeps its next sequence with them, and the commit writes its header
   * (design record 042).
   */
  private ListHeader writeHeader(byte[] listKey, long nextSequence) {
    ListAppends.Appended a = appended(listKey);
    if (a != null) {
      a.raiseNextSequence(nextSequence);
      return new ListHeader(a.nextSequence(), Long.MIN_VALUE);
    }
    long ts = ttl ? now() : Long.MIN_VALUE;
    store.put(listKey, StateFormat.listHeader(nextSequence, ts));
    return new ListHeader(nextSequence, ts);
  }

  /**
   * The next sequence of the list at {@code listKey} for an append: an expired list, or (with TTL)
   * elements left behind by a cleanup that removed only the header, are deleted first.
   */
  private long nextSequenceForAppend(byte[] listKey, long now) {
    ListHeader h = header(listKey);
    if (h != null && !expiredList(h, now)) {
      return h.nextSequence();
    }
    if (ttl) {
      deleteEntries(listKey);
    }
    return 0;
  }

  @Override
  public void add(T value) {
    Objects.requireNonNull(value, () -> descriptor + ": add(null)");
    byte[] listKey = currentKeyPrefix();
    long now = now();
    long seq = nextSequenceForAppend(listKey, now);
    putElement(listKey, seq, now, serialize(value));
    if (appends == null) { // else the appends hold the next sequence (design record 042)
      writeHeader(listKey, seq + 1);
    }
  }

  /** Writes a new element: into the list's appends when it has them (design record 042). */
  private void putElement(byte[] listKey, long seq, long now, byte[] payload) {
    if (appends != null) {
      appends.append(listKey, seq, payload);
    } else {
      store.put(StateFormat.elementKey(listKey, seq), elementValue(now, payload));
    }
  }

  /** Writes an element's stored value again, under sequence {@code seq}. */
  private void putStoredElement(byte[] listKey, long seq, byte[] value) {
    if (appends != null) {
      appends.appendStored(listKey, seq, value, 0, value.length);
    } else {
      store.put(StateFormat.elementKey(listKey, seq), value);
    }
  }

  @Override
  public void addAll(List<T> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      return;
    }
    byte[] listKey = currentKeyPrefix();
    long now = now();
    long seq = nextSequenceForAppend(listKey, now);
    for (T v : values) {
      byte[] bytes = serialize(Objects.requireNonNull(v, () -> descriptor + ": null element"));
      putElement(listKey, seq++, now, bytes);
    }
    if (appends == null) {
      writeHeader(listKey, seq);
    }
  }

  /**
   * Replaces the list: element {@code i} goes to sequence {@code i}, and an entry that already
   * holds exactly those bytes is left alone, so rewriting a mostly unchanged short list (a merging
   * window assigner's window set) costs changelog records only for what changed.
   */
  @Override
  public void update(List<T> values) {
    Objects.requireNonNull(values, "values");
    byte[] listKey = currentKeyPrefix();
    long now = now();
    if (values.isEmpty()) {
      clear();
      return;
    }
    if (batched) {
      // Rewritten whole: the tombstones of the list's batches and one batch of the new elements,
      // so a list that is never cleared (a key's session windows) keeps one batch, not one per
      // update (design record 032).
      deleteEntries(listKey);
      long seq = 0;
      for (T v : values) {
        byte[] bytes = serialize(Objects.requireNonNull(v, () -> descriptor + ": null element"));
        putElement(listKey, seq++, now, bytes);
      }
      writeHeader(listKey, seq);
      return;
    }
    Map<Long, byte[]> existing = new HashMap<>();
    header(listKey); // migrates a version-1 list, so its entries are compared below
    try (KeyValueIterator it = store.prefixScan(listKey)) {
      while (it.hasNext()) {
        KeyValueEntry e = it.next();
        if (e.key().length == listKey.length + StateFormat.SEQUENCE_BYTES) {
          existing.put(sequence(e.key(), listKey.length), e.value());
        }
      }
    }
    long seq = 0;
    for (T v : values) {
      byte[] value =
          elementValue(
              now, serialize(Objects.requireNonNull(v, () -> descriptor + ": null element")));
      byte[] old = existing.remove(seq);
      if (old == null || !Arrays.equals(old, value)) {
        store.put(StateFormat.elementKey(listKey, seq), value);
      }
      seq++;
    }
    for (Long stale : existing.keySet()) {
      store.delete(StateFormat.elementKey(listKey, stale));
    }
    byte[] header = StateFormat.listHeader(seq, ttl ? now : Long.MIN_VALUE);
    if (!Arrays.equals(store.get(listKey), header)) {
      store.put(listKey, header);
    }
  }

  static long sequence(byte[] elementKey, int listKeyLength) {
    return ByteBuffer.wrap(elementKey, listKeyLength, StateFormat.SEQUENCE_BYTES).getLong();
  }

  /**
   * Deletes the elements {@code kept} no longer holds, when {@code kept} is {@code stored}'s values
   * with some removed (what an evictor does): one delete per removed element instead of rewriting
   * the list. Anything else (reordered or new elements) falls back to {@link #update}.
   */
  void retain(List<Stored<T>> stored, List<T> kept) {
    List<byte[]> removed = new ArrayList<>();
    int j = 0;
    for (Stored<T> s : stored) {
      if (j < kept.size() && kept.get(j) == s.value()) {
        j++;
      } else {
        removed.add(s.key());
      }
    }
    if (j != kept.size()) {
      update(kept);
      return;
    }
    if (kept.isEmpty()) {
      clear();
      return;
    }
    if (removed.isEmpty()) {
      return;
    }
    if (batched) {
      relog(stored, removed);
      return;
    }
    removed.forEach(store::delete);
  }

  /**
   * An evictor's removals from a batched list: the list is cleared and its header and kept elements
   * written again, byte for byte, so the commit sends the tombstones of the list's batches and one
   * batch of what is left (design record 032). Deletes inside a batch would keep every batch of a
   * list that is never cleared (a global window's) in the compacted changelog; this keeps one per
   * eviction, at the cost of the elements the firing read anyway.
   */
  private void relog(List<Stored<T>> stored, List<byte[]> removed) {
    byte[] listKey = currentKeyPrefix();
    if (appends != null) {
      relogAppending(listKey, stored, removed);
      return;
    }
    byte[] header = store.get(listKey);
    List<Stored<T>> kept = without(stored, removed);
    deleteEntries(listKey);
    for (Stored<T> s : kept) {
      // The bytes the scan read (the store no longer answers a point read of an element from
      // memory: design record 037).
      store.put(s.key(), s.stored());
    }
    if (header != null) {
      store.put(listKey, header);
    }
  }

  /** {@code stored} without the elements whose keys {@code removed} names, in order. */
  private static <T> List<Stored<T>> without(List<Stored<T>> stored, List<byte[]> removed) {
    Set<ByteBuffer> gone = new HashSet<>();
    removed.forEach(k -> gone.add(ByteBuffer.wrap(k)));
    List<Stored<T>> kept = new ArrayList<>(stored.size() - removed.size());
    for (Stored<T> s : stored) {
      if (!gone.contains(ByteBuffer.wrap(s.key()))) {
        kept.add(s);
      }
    }
    return kept;
  }

  /**
   * {@link #relog} of a list whose writes go to its appends (design record 042): the kept elements
   * become its appends, and its next sequence stays where it was.
   */
  private void relogAppending(byte[] listKey, List<Stored<T>> stored, List<byte[]> removed) {
    ListHeader h = header(listKey);
    List<Stored<T>> kept = without(stored, removed);
    deleteEntries(listKey);
    for (Stored<T> s : kept) {
      putStoredElement(listKey, sequence(s.key(), listKey.length), s.stored());
    }
    if (h != null) {
      writeHeader(listKey, h.nextSequence());
    }
  }

  @Override
  public void clear() {
    deleteEntries(currentKeyPrefix());
  }

  /**
   * Deletes the header and every element of the list at {@code listKey}: one range delete (they are
   * the keys starting with {@code listKey}), which the transactional store turns into a tombstone
   * per key the committed state holds, without a pending write or cache entry per key, and without
   * any for elements written and dropped within the commit interval (design record 029).
   */
  private void deleteEntries(byte[] listKey) {
    if (appends != null) {
      appends.drop(listKey);
    }
    if (batched) {
      // The markers of the list's batches: their tombstones delete the whole list on restore, so
      // the commit sends no tombstone per element (design record 032).
      byte[] markers = ChangelogFormat.batchKeyPrefix(listKey);
      store.deleteRange(markers, prefixEnd(markers));
    }
    store.deleteRange(listKey, prefixEnd(listKey));
  }

  @Override
  void mergeNamespaces(Collection<byte[]> sources, byte[] target) {
    owner.setNamespace(target);
    byte[] targetKey = currentKeyPrefix();
    long now = now();
    long seq = nextSequenceForAppend(targetKey, now);
    boolean any = seq > 0;
    for (byte[] ns : sources) {
      if (Arrays.equals(ns, target)) {
        continue;
      }
      owner.setNamespace(ns);
      byte[] key = currentKeyPrefix();
      ListHeader h = header(key);
      if (h != null && !expiredList(h, now)) {
        // Elements move with their own TTL clocks.
        for (KeyValueEntry e : liveEntries(key, now)) {
          putStoredElement(targetKey, seq++, e.value());
          any = true;
        }
      }
      deleteEntries(key);
    }
    owner.setNamespace(target);
    if (any) {
      writeHeader(targetKey, seq);
    }
  }

  // ---- TTL cleanup

  @Override
  byte[] dropExpired(byte[] key, byte[] value, long now) {
    if (!isListKey(key)) {
      if (batched) {
        // An element written since the last commit, or one committed before design record 039:
        // its list's check below sees it with the rest.
        return value;
      }
      return super.dropExpired(key, value, now); // an element: a plain value
    }
    if (StateFormat.isListHeader(value)) {
      ListHeader h = StateFormat.listHeader(value);
      // An expired header means every element expired too; they follow it in key order, so the
      // scan removes them next (and an append finding no header removes any it did not reach).
      boolean expiredList = h.hasTimestamp() && expired(h.timestamp(), now);
      if (!expiredList && batched) {
        listsToCheck.add(key);
      }
      return expiredList ? null : value;
    }
    return dropExpiredLegacy(value, now);
  }

  /** The batched lists whose headers the running cleanup found live (see {@link #cleanupLists}). */
  private final List<byte[]> listsToCheck = new ArrayList<>();

  /**
   * The TTL cleanup of the live batched lists it visited: a list with expired elements is written
   * again without them (as an evictor's removals are, {@link #relog}), rather than losing them one
   * by one: most of its elements live inside its batches' values (design record 039), where a
   * pending delete of one of them would not hide it from {@link #entries}.
   */
  @Override
  int cleanupLists(long now) {
    int dropped = 0;
    for (byte[] listKey : listsToCheck) {
      List<KeyValueEntry> all = entries(listKey);
      List<KeyValueEntry> live = new ArrayList<>(all.size());
      for (KeyValueEntry e : all) {
        byte[] v = e.value();
        if (!(StateFormat.hasTimestamp(v) && expired(StateFormat.timestamp(v), now))) {
          live.add(e);
        }
      }
      if (live.size() == all.size()) {
        continue;
      }
      dropped += all.size() - live.size();
      byte[] header = store.get(listKey);
      deleteEntries(listKey);
      for (KeyValueEntry e : live) {
        store.put(e.key(), e.value());
      }
      if (header != null) {
        store.put(listKey, header);
      }
    }
    listsToCheck.clear();
    return dropped;
  }

  /**
   * An expired list header goes with its whole list (every element expired with it, the header
   * being the newest): for a batched list one clear, markers included, instead of a delete per
   * element and markers left behind.
   */
  @Override
  void deleteExpired(byte[] key) {
    if (batched && isListKey(key)) {
      deleteEntries(key);
    } else {
      store.delete(key);
    }
  }

  /** Whether {@code key} is a list's own key (its header) rather than an element's. */
  private boolean isListKey(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    int at = prefix.length;
    at += 4 + b.getInt(at);
    if (namespaced) {
      at += 4 + b.getInt(at);
    }
    return at == key.length;
  }

  /** TTL cleanup of a version-1 list nobody touched since the upgrade: drops expired elements. */
  private byte[] dropExpiredLegacy(byte[] value, long now) {
    if (!StateFormat.hasTimestamp(value)) {
      return value;
    }
    List<Element> all = StateFormat.elements(value);
    List<Element> kept = new ArrayList<>(all.size());
    for (Element e : all) {
      if (!expired(e.timestamp(), now)) {
        kept.add(e);
      }
    }
    if (kept.isEmpty()) {
      return null;
    }
    return kept.size() == all.size() ? value : StateFormat.list(kept, true);
  }
}
