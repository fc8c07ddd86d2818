package dev.weir.internal.task;

import dev.weir.store.BatchScopeRule;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.KeyValueStore;
import dev.weir.store.StateBackend;
import dev.weir.store.StateCache;
import dev.weir.store.TaskStateStore;
import dev.weir.store.TransactionalTaskState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The state of one task across its operators' stores, and its part in the commit protocol (design
 * record 002):
 *
 * <ol>
 *   <li>writes go to a {@link TransactionalTaskState} overlay that the task reads through;
 *   <li>{@link #prepareCommit} sends the overlay's latest value per key to the stores' changelog
 *       partitions through the thread's producer, so they join the thread's Kafka transaction;
 *   <li>{@link #postCommit}, called only after the transaction committed, applies the overlay to
 *       the local store together with the changelog offsets it corresponds to, in one atomic batch;
 *   <li>{@link #abort} drops the overlay after a failed or aborted transaction.
 * </ol>
 *
 * <p>So the local store only ever holds committed state, and after a crash the task replays only
 * the changelog tail past its local offsets (usually nothing) instead of wiping its state.
 *
 * <p><b>Queries.</b> {@link #readCommitted} lets another thread (an interactive query) read the
 * committed base while the task's thread processes. The base changes only in {@link #postCommit}
 * and {@link #close}, which take the write side of {@link #commitLock}; a query holds the read
 * side, so it sees exactly one committed transaction's state and never a closed store, and the
 * overlay (this transaction's uncommitted writes) is never visible to it.
 */
public final class TaskState implements AutoCloseable {
  /** A store of the task and the changelog topic that backs it. */
  public record StoreSpec(String store, String changelogTopic) {}

  private final TaskStateStore base;
  private final TransactionalTaskState overlay;
  private final int partition;
  private final Map<String, TopicPartition> changelogs = new LinkedHashMap<>();
  private final Map<String, AtomicLong> lastOffsets = new HashMap<>();
  // Per store, the one offset receiver of its changelog sends (no object per record).
  private final Map<String, LongConsumer> offsetReceivers = new HashMap<>();
  private final Map<String, OperatorStates> operators = new LinkedHashMap<>();
  private long changelogRecordsSent;
  private long batchedEntries;
  private final Map<String, long[]> batchSequences = new HashMap<>();
  // Per store, the window lists' appends since the last commit (design record 042).
  private final Map<String, ListAppends> listAppends = new LinkedHashMap<>();
  private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by commitLock

  private TaskState(TaskStateStore base, int partition, List<StoreSpec> specs, StateCache cache) {
    this.base = base;
    this.partition = partition;
    for (StoreSpec s : specs) {
      changelogs.put(s.store(), new TopicPartition(s.changelogTopic(), partition));
      AtomicLong last = new AtomicLong(-1);
      lastOffsets.put(s.store(), last);
      offsetReceivers.put(s.store(), offset -> last.accumulateAndGet(offset, Math::max));
    }
    // A window's list elements are read once, by the firing's scan: no cached copies of them
    // (design record 037). Where the store keeps a list's batches whole (design record 039), the
    // commit writes its elements only inside their batch's marker, and the markers, read only by
    // the scans of their list, are not cached either.
    this.batchesStoredWhole = BatchScopeRule.of(base.batchesStoredWhole());
    BatchScopeRule whole = batchesStoredWhole;
    // Asked on every commit of a marker and every point access of one: the scope is tested in the
    // key, not copied out (with the runtime's rule; another predicate gets a copy).
    this.overlay =
        TransactionalTaskState.wrap(
            base,
            cache,
            key ->
                StateFormat.isListElement(key)
                    || (StateFormat.isListBatchKey(key)
                        && ChangelogFormat.isBatchKey(key)
                        && ChangelogFormat.batchScopeMatches(key, whole)),
            StateFormat::isListRangeStart,
            // A list's rule is its scope byte's (StateFormat.isListScope), which its elements'
            // keys start with.
            key -> StateFormat.isListElement(key) && whole.test(key));
  }

  /** The scopes whose batches the base keeps whole (design record 039). */
  private final BatchScopeRule batchesStoredWhole;

  /**
   * Opens a task's stores without restoring them: for the test driver, whose state lives only in
   * memory, and for callers that restore the stores themselves before {@link #wrap}.
   *
   * @param backend where the stores live
   * @param taskId the task id (its directory name)
   * @param partition the task's partition (= its changelog partition)
   * @param specs the task's stores
   */
  public static TaskState open(
      StateBackend backend, String taskId, int partition, List<StoreSpec> specs) {
    return open(backend, taskId, partition, specs, StateCache.disabled());
  }

  /**
   * As {@link #open(StateBackend, String, int, List)}, with a write-back cache.
   *
   * @param cache the cache budget of the task's thread
   */
  public static TaskState open(
      StateBackend backend, String taskId, int partition, List<StoreSpec> specs, StateCache cache) {
    return wrap(backend.open(taskId, storeNames(specs)), partition, specs, cache);
  }

  /**
   * The task state over stores already opened (and restored) by the caller.
   *
   * @param base the task's stores, which the task state now owns
   * @param partition the task's partition (= its changelog partition)
   * @param specs the task's stores
   */
  public static TaskState wrap(TaskStateStore base, int partition, List<StoreSpec> specs) {
    return wrap(base, partition, specs, StateCache.disabled());
  }

  /**
   * The task state over stores already opened (and restored) by the caller, with a write-back
   * cache: committed entries stay in memory within {@code cache}'s budget (see {@link
   * TransactionalTaskState#wrap(TaskStateStore, StateCache)}).
   *
   * @param base the task's stores, which the task state now owns
   * @param partition the task's partition (= its changelog partition)
   * @param specs the task's stores
   * @param cache the cache budget of the task's thread
   */
  public static TaskState wrap(
      TaskStateStore base, int partition, List<StoreSpec> specs, StateCache cache) {
    return new TaskState(base, partition, specs, cache);
  }

  /**
   * The rule for the state backends the runtime creates ({@code
   * RocksDbSettings.withBatchesStoredWhole}): the batches of window lists, whose elements are read
   * only as a whole list, are kept whole, one store entry per batch (design record 039). A scope is
   * tested where it lies, in a batch key without a copy ({@link
   * ChangelogFormat#batchScopeMatches}).
   */
  public static final BatchScopeRule BATCHES_STORED_WHOLE = StateFormat::isListScope;

  /** The names of the stores. */
  public static List<String> storeNames(List<StoreSpec> specs) {
    List<String> names = new ArrayList<>();
    specs.forEach(s -> names.add(s.store()));
    return names;
  }

  /** Each store's changelog partition for a task. */
  public static Map<String, TopicPartition> changelogs(List<StoreSpec> specs, int partition) {
    Map<String, TopicPartition> tps = new LinkedHashMap<>();
    specs.forEach(s -> tps.put(s.store(), new TopicPartition(s.changelogTopic(), partition)));
    return tps;
  }

  /** The names of the task's stores. */
  public java.util.Set<String> storeNames() {
    return java.util.Collections.unmodifiableSet(changelogs.keySet());
  }

  /** The transactional view of one store. */
  public KeyValueStore store(String name) {
    return overlay.store(name);
  }

  /**
   * Where the window lists of store {@code name} keep their appends until the commit (design record
   * 042): one per store, which {@link #prepareCommit} turns into headers and batch records.
   */
  ListAppends listAppends(String name) {
    return listAppends.computeIfAbsent(name, n -> new ListAppends(batchesStoredWhole));
  }

  /** Registers (or returns) the states of one operator. */
  public OperatorStates operator(
      String storeName, java.util.function.Function<String, OperatorStates> create) {
    return operators.computeIfAbsent(storeName, create);
  }

  /** Runs the background TTL cleanup over every operator's TTL states. */
  public void cleanupExpired(int budgetPerOperator) {
    for (OperatorStates o : operators.values()) {
      o.cleanupExpired(budgetPerOperator);
    }
  }

  /** Bytes held by uncommitted writes. */
  public long uncommittedBytes() {
    long bytes = overlay.uncommittedBytes();
    for (ListAppends a : listAppends.values()) {
      bytes += a.bytes();
    }
    return bytes;
  }

  /** Changelog records sent since the task was opened. */
  public long changelogRecordsSent() {
    return changelogRecordsSent;
  }

  /**
   * Sends the latest uncommitted value of each written key to the store's changelog, except the
   * entries of segmented buffers: those go out as batch records (design record 024), one per
   * segment and commit (more when one would pass {@link #MAX_BATCH_BYTES}), each under a new marker
   * key that this commit also writes to the store; and their deletes, which only a segment drop or
   * a re-key makes, go out as the tombstones of the markers they delete with them. The elements of
   * batched window lists (design record 032) go out the same way, one batch per list and commit; a
   * cleared list's element deletes are said by its markers' tombstones, and an element deleted
   * alone (TTL) goes into a batch of its list as a delete.
   *
   * @return the number of changelog records sent
   */
  public int prepareCommit(RecordCollector out, long timestamp) {
    int[] sent = {0};
    // The pending writes come grouped by store: look the store up once per group.
    String[] store = {null};
    String[] topic = {null};
    LongConsumer[] onOffset = {null};
    List<Batch> batches = new ArrayList<>();
    Batch[] open = {null};
    List<ListDeletes> listDeletes = new ArrayList<>();
    Set<Scope> clearedScopes = new HashSet<>();
    // A list with appends outside the overlay gets its header now, so the walk sends it; its
    // elements go out in batches of their own after the walk's (design record 042).
    Map<String, List<ListAppends.Appended>> appended = new LinkedHashMap<>();
    for (Map.Entry<String, ListAppends> e : listAppends.entrySet()) {
      if (!e.getValue().isEmpty()) {
        List<ListAppends.Appended> lists = e.getValue().inKeyOrder();
        appended.put(e.getKey(), lists);
        KeyValueStore s = overlay.store(e.getKey());
        for (ListAppends.Appended a : lists) {
          s.put(a.listKey, StateFormat.listHeader(a.nextSequence(), Long.MIN_VALUE));
        }
      }
    }
    overlay.forEachPendingWrite(
        (name, key, value) -> {
          if (!name.equals(store[0])) {
            store[0] = name;
            topic[0] = changelogs.get(name).topic();
            onOffset[0] = offsetReceivers.get(name);
            open[0] = null;
          }
          int scope = StateFormat.batchedEntryScopeLength(key);
          if (scope > 0) {
            if (value == null) {
              if (StateFormat.isListScope(key)) {
                // A list element removed: by a clear (then the list's markers are deleted in this
                // commit too, and their tombstones say it) or alone (an evictor, TTL), which a
                // batch of the list must say. Which one is known after the walk. A list's deletes
                // come one after another (a range's tombstones together, the rest in key order):
                // one group per list, and no keys kept for a list whose markers went before.
                ListDeletes g =
                    listDeletes.isEmpty() ? null : listDeletes.get(listDeletes.size() - 1);
                if (g == null || !g.sameScope(name, key, scope)) {
                  g = new ListDeletes(name, Arrays.copyOf(key, scope));
                  g.cleared = clearedScopes.contains(g.scope());
                  listDeletes.add(g);
                }
                if (!g.cleared) {
                  g.keys.add(key);
                }
              }
              return; // a segment's batches are deleted with it: their tombstones say it
            }
            Batch b = open[0];
            if (b == null
                || b.builder.bytes() >= MAX_BATCH_BYTES
                || b.scope.length != scope
                || !Arrays.equals(b.scope, 0, scope, key, 0, scope)) {
              byte[] s = Arrays.copyOf(key, scope);
              b = new Batch(name, s);
              batches.add(b);
              open[0] = b;
            }
            // The builder keeps the overlay's own arrays until toValue() below, as ListDeletes
            // keeps
            // keys: nothing changes a pending entry's arrays before the commit ends (the markers
            // put below are new entries).
            b.builder.add(key, value);
            return;
          }
          if (value == null && ChangelogFormat.isBatchKey(key)) {
            // A batch's tombstone: its scope (a segment, or a list being cleared) goes whole.
            clearedScopes.add(new Scope(name, ByteBuffer.wrap(ChangelogFormat.batchScope(key))));
          }
          if (value != null && ChangelogFormat.isBatchKey(key)) {
            // Markers are written below, after the walk, with their batch as the changelog
            // value; one written before would go out as a plain record that a restore reads as a
            // batch of nothing. Only a bug makes one: fail the commit, which aborts the
            // transaction.
            throw new IllegalStateException(
                "Store '"
                    + name
                    + "' of task "
                    + overlay.taskId()
                    + " holds an uncommitted batch marker written outside the commit");
          }
          out.sendChangelog(
              topic[0],
              partition,
              key,
              value == null ? null : ChangelogFormat.encodeValue(value),
              timestamp,
              onOffset[0]);
          sent[0]++;
        });
    if (!listDeletes.isEmpty()) {
      addListDeletes(batches, listDeletes, clearedScopes);
    }
    appended.forEach(
        (name, lists) -> {
          for (ListAppends.Appended a : lists) {
            for (byte[] value : a.batchValues()) {
              batches.add(new Batch(name, a.listKey, value));
            }
            batchedEntries += a.count();
          }
          listAppends.get(name).clear(); // the markers put below carry them from here on
        });
    for (Batch b : batches) {
      byte[] marker = StateFormat.batchMarker(b.scope, nextBatchSequence(b.store));
      byte[] batch = b.value();
      boolean whole = batchesStoredWhole.test(b.scope);
      if (whole) {
        base.noteBatchStoredWhole(); // once per store; a no-op after (design record 039)
      }
      // Where the store keeps this scope's batches whole (a list's, design record 039), the
      // marker holds the batch as the changelog carries it, and the overlay's commit writes none
      // of its elements; else the marker is empty and each entry is a store entry of its own.
      overlay.store(b.store).put(marker, whole ? batch : ChangelogFormat.batchMarkerValue());
      out.sendChangelog(
          changelogs.get(b.store).topic(),
          partition,
          marker,
          batch,
          timestamp,
          offsetReceivers.get(b.store));
      sent[0]++;
      if (b.builder != null) {
        batchedEntries += b.builder.entries();
      }
    }
    changelogRecordsSent += sent[0];
    return sent[0];
  }

  /** A store and a batch scope. */
  private record Scope(String store, ByteBuffer scope) {}

  /** The elements of one list deleted in this commit (design record 032). */
  private static final class ListDeletes {
    final String store;
    final byte[] scope;
    final List<byte[]> keys = new ArrayList<>();
    boolean cleared;

    ListDeletes(String store, byte[] scope) {
      this.store = store;
      this.scope = scope;
    }

    boolean sameScope(String storeName, byte[] key, int scopeLength) {
      return scope.length == scopeLength
          && store.equals(storeName)
          && Arrays.equals(scope, 0, scopeLength, key, 0, scopeLength);
    }

    Scope scope() {
      return new Scope(store, ByteBuffer.wrap(scope));
    }
  }

  /**
   * Adds the deletes of list elements whose list was not cleared in this commit (no tombstone of a
   * marker of its scope) to a batch of their list: the last one this commit built for it, or a new
   * one. A cleared list's element deletes are not sent: the tombstones of its markers delete its
   * whole scope on restore. Each key comes once in a commit's pending writes unless a range delete
   * covered it, which for a list is a clear; so a delete added here never follows a put of the same
   * key in one batch.
   */
  private static void addListDeletes(
      List<Batch> batches, List<ListDeletes> deletes, Set<Scope> clearedScopes) {
    Map<Scope, Batch> last = new HashMap<>();
    for (Batch b : batches) {
      last.put(new Scope(b.store, ByteBuffer.wrap(b.scope)), b);
    }
    for (ListDeletes g : deletes) {
      if (g.cleared || g.keys.isEmpty()) {
        continue;
      }
      Scope s = g.scope();
      if (clearedScopes.contains(s)) {
        continue;
      }
      Batch b = last.get(s);
      for (byte[] key : g.keys) {
        if (b == null || b.builder.bytes() >= MAX_BATCH_BYTES) {
          b = new Batch(g.store, g.scope);
          batches.add(b);
          last.put(s, b);
        }
        b.builder.addDelete(key);
      }
    }
  }

  /**
   * Above this many bytes a batch record is closed and the next one of its segment begun: well
   * below the producer's and the broker's default limit of 1 MiB per record.
   */
  static final int MAX_BATCH_BYTES = 256 << 10;

  /**
   * The entries of one segment in one commit, on their way to one batch record: added to a builder,
   * or a list's appends already encoded (design record 042).
   */
  private static final class Batch {
    final String store;
    final byte[] scope;
    final ChangelogFormat.BatchBuilder builder;
    private final byte[] encoded;

    Batch(String store, byte[] scope) {
      this.store = store;
      this.scope = scope;
      this.builder = new ChangelogFormat.BatchBuilder(scope.length);
      this.encoded = null;
    }

    Batch(String store, byte[] scope, byte[] encoded) {
      this.store = store;
      this.scope = scope;
      this.builder = null;
      this.encoded = encoded;
    }

    byte[] value() {
      return encoded != null ? encoded : builder.toValue();
    }
  }

  /**
   * The sequence of a store's next batch: above every marker the store holds, so that a new marker
   * never names a live batch of the same segment. Found with one scan of the markers' keys at the
   * first batch after the task state was opened, counted up from there. The scan reads no values: a
   * window list's marker holds its whole batch (design records 039, 040).
   */
  private long nextBatchSequence(String storeName) {
    long[] next = batchSequences.get(storeName);
    if (next == null) {
      long[] max = {-1};
      byte[] from = ChangelogFormat.batchKeyPrefix(new byte[0]);
      byte[] to = StateHandle.prefixEnd(from);
      overlay
          .store(storeName)
          .forEachKey(
              from,
              to,
              k -> {
                if (ChangelogFormat.isBatchKey(k)) {
                  max[0] = Math.max(max[0], ChangelogFormat.batchSequence(k));
                }
              });
      next = new long[] {max[0] + 1};
      batchSequences.put(storeName, next);
    }
    return next[0]++;
  }

  /** Buffer entries sent inside batch records since the task was opened. */
  public long batchedEntriesSent() {
    return batchedEntries;
  }

  /** The transaction committed: apply the overlay and the new changelog offsets locally. */
  public void postCommit() {
    Map<String, Long> offsets = new HashMap<>();
    lastOffsets.forEach(
        (store, last) -> {
          long l = last.getAndSet(-1);
          if (l >= 0) {
            offsets.put(changelogs.get(store).toString(), l + 1);
          }
        });
    if (offsets.isEmpty() && overlay.pendingWriteCount() == 0) {
      return;
    }
    commitLock.writeLock().lock();
    try {
      overlay.commit(offsets);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /**
   * Reads the committed state of one store from any thread: {@code read} runs under the read side
   * of the commit lock, so no commit or close happens meanwhile (a long read delays the task's next
   * commit). It must only read, and must close the iterators it opens.
   *
   * @param store one of {@link #storeNames()}
   * @param read what to read; must not keep the store
   * @return what {@code read} returned
   * @throws IllegalStateException when the task state is closed (the task moved or stopped)
   */
  public <R> R readCommitted(String store, Function<KeyValueStore, R> read) {
    commitLock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("The state of task " + base.taskId() + " is closed");
      }
      return read.apply(base.store(store));
    } finally {
      commitLock.readLock().unlock();
    }
  }

  /** The transaction failed: drop uncommitted writes. */
  public void abort() {
    overlay.abort();
    listAppends.values().forEach(ListAppends::clear);
    lastOffsets.values().forEach(l -> l.set(-1));
  }

  /**
   * The sum of the committed changelog offsets of the task's stores (0 for a store without one):
   * what the assignor compares with the changelogs' end offsets to tell how far behind this copy
   * is. On the task's thread.
   */
  public long committedOffsetSum() {
    Map<String, Long> committed = base.committedOffsets();
    long sum = 0;
    for (TopicPartition tp : changelogs.values()) {
      sum += committed.getOrDefault(tp.toString(), 0L);
    }
    return sum;
  }

  @Override
  public void close() {
    commitLock.writeLock().lock();
    try {
      closed = true;
      overlay.abort();
      listAppends.values().forEach(ListAppends::clear);
      base.close();
    } finally {
      commitLock.writeLock().unlock();
    }
  }
}
