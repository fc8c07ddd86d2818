package dev.weir.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer-independent half of {@link ChangelogRestorer}: turns changelog records into large
 * unlogged batches on a {@link TaskStateStore}, each carrying the offsets its records reach, and
 * reports progress.
 *
 * <p>Invariant: the offset written for a partition never passes a record that is not in the same or
 * an earlier batch, so whatever prefix of batches survives a crash, the offsets it holds say
 * exactly where to resume.
 *
 * <p><b>Bulk mode</b> (design record 019). When the task's changelogs hold at least the bulk
 * threshold of records to restore and the backend offers a {@link BulkLoad}, records are buffered
 * in chunks instead, and each chunk is {@link BulkLoad#ingest() ingested} before a batch holding
 * only the offsets it reaches is applied. The stores are then never behind the offsets: after a
 * crash they may be ahead (a chunk ingested, its offsets lost), and replaying from the offsets
 * re-applies records whose last value per key the stores already hold, which changes nothing.
 */
final class RestoreBatchWriter implements AutoCloseable {
  /** Restore progress of one changelog partition. */
  private static final class Progress {
    final String storeName;
    final TopicPartition partition;
    final long startOffset;
    final long endOffset;
    long nextOffset;
    long restored;
    boolean unapplied;

    Progress(String storeName, TopicPartition partition, long startOffset, long endOffset) {
      this.storeName = storeName;
      this.partition = partition;
      this.startOffset = startOffset;
      this.endOffset = endOffset;
      this.nextOffset = startOffset;
    }
  }

  /**
   * Bytes of keys and values after which a batch is applied whatever its record count, so that
   * large values neither hold much memory nor approach the native batch's size limit.
   */
  static final long MAX_BATCH_BYTES = 32L << 20;

  /** Buffered bytes (see {@link BulkLoad#bufferedBytes()}) at which a bulk chunk is ingested. */
  static final long MAX_CHUNK_BYTES = 64L << 20;

  /** The smallest chunk ingested early because the session's {@link BulkLoadBudget} is used up. */
  static final long MIN_CHUNK_BYTES = 4L << 20;

  /** Bulk threshold that turns bulk mode off. */
  static final long NEVER = -1;

  private static final Logger LOG = LoggerFactory.getLogger(RestoreBatchWriter.class);

  private final TaskStateStore state;
  private final int batchSize;
  private long batchBytes;
  private final RestoreListener listener;
  private final StateWriteBatch batch;
  private final Map<TopicPartition, Progress> progress = new LinkedHashMap<>();
  private final long bulkThreshold;
  private final BulkLoadBudget budget;

  /** Set at the first record: whether this restore is large enough for bulk mode. */
  private boolean modeChosen;

  /** Non-null in bulk mode. */
  private BulkLoad bulk;

  /**
   * The entry keys that batch records put into the pending batch (or chunk), by store and scope: a
   * batch's tombstone deletes them besides those of its scope already in the store, so it needs no
   * early apply (in bulk mode an ingestion per tombstone, which made a restore of a join with many
   * small segments write one file per tombstone). Emptied when what is pending is applied.
   */
  private final Map<PendingScope, List<byte[]>> pendingScopeKeys = new HashMap<>();

  private record PendingScope(String storeName, ByteBuffer scope) {}

  /** The scopes whose batch records are written whole (design record 039). */
  private final java.util.function.Predicate<byte[]> batchesStoredWhole;

  /** Batches only, as standbys and small restores use. */
  RestoreBatchWriter(TaskStateStore state, int batchSize, RestoreListener listener) {
    this(state, batchSize, listener, NEVER, null);
  }

  /**
   * @param bulkThreshold records to restore (over all partitions begun) from which bulk mode is
   *     used, or {@link #NEVER}
   * @param budget shared by the writers of one session; null for a budget of this writer alone
   */
  RestoreBatchWriter(
      TaskStateStore state,
      int batchSize,
      RestoreListener listener,
      long bulkThreshold,
      BulkLoadBudget budget) {
    this.state = state;
    this.batchSize = batchSize;
    this.listener = listener;
    this.bulkThreshold = bulkThreshold;
    this.budget = budget != null ? budget : new BulkLoadBudget(BulkLoadBudget.DEFAULT_BYTES);
    this.batch = state.newWriteBatch();
    this.batchesStoredWhole = state.batchesStoredWhole();
  }

  /** Registers a partition; records of it may follow. */
  void begin(String storeName, TopicPartition partition, long startOffset, long endOffset) {
    progress.put(partition, new Progress(storeName, partition, startOffset, endOffset));
    listener.onStart(storeName, partition, startOffset, endOffset);
  }

  /**
   * Adds one changelog record; applies the batch when it is full.
   *
   * @param value the record value in {@link ChangelogFormat}, or null for a tombstone
   */
  void add(TopicPartition partition, long offset, byte[] key, byte[] value) {
    Progress p = progress(partition);
    if (key == null) {
      throw new StateFormatException(
          "Changelog record at offset "
              + offset
              + " of "
              + partition
              + " has no key, but Weir writes every changelog record with the store key; the topic"
              + " holds data not written by Weir");
    }
    boolean batchKey = ChangelogFormat.isBatchKey(key);
    if (value != null && !batchKey) {
      try {
        ChangelogFormat.checkVersion(value);
      } catch (StateFormatException e) {
        throw new StateFormatException(
            "Changelog record at offset " + offset + " of " + partition + ": " + e.getMessage());
      }
    }
    if (!modeChosen) {
      chooseMode();
    }
    int payload = ChangelogFormat.PAYLOAD_OFFSET;
    boolean full;
    if (batchKey) {
      full = addBatch(p, partition, offset, key, value);
    } else if (bulk != null) {
      long before = bulk.bufferedBytes();
      if (value == null) {
        bulk.delete(p.storeName, key);
      } else {
        bulk.put(p.storeName, key, value, payload, value.length - payload);
      }
      long buffered = bulk.bufferedBytes();
      budget.add(buffered - before);
      full = buffered >= MAX_CHUNK_BYTES || (buffered >= MIN_CHUNK_BYTES && budget.exceeded());
    } else {
      if (value == null) {
        batch.delete(p.storeName, key);
        batchBytes += key.length;
      } else {
        batch.put(p.storeName, key, value, payload, value.length - payload);
        batchBytes += key.length + value.length;
      }
      full = batch.size() >= batchSize || batchBytes >= MAX_BATCH_BYTES;
    }
    p.nextOffset = Math.max(p.nextOffset, offset + 1);
    p.restored++;
    p.unapplied = true;
    if (full) {
      applyPending();
    }
  }

  /**
   * Adds one changelog record whose key and value are ranges of an array (a raw fetch's response,
   * design record 030). In bulk mode a plain put or tombstone is copied once, straight into the
   * bulk load's buffer; batch records, batch mode and anything the format checks reject go through
   * {@link #add(TopicPartition, long, byte[], byte[])} with copies.
   *
   * @param keyLength -1 for a null key
   * @param valueLength -1 for a tombstone
   */
  void add(
      TopicPartition partition,
      long offset,
      byte[] array,
      int keyOffset,
      int keyLength,
      int valueOffset,
      int valueLength) {
    if (!modeChosen) {
      chooseMode();
    }
    if (bulk == null
        || keyLength < 0
        || ChangelogFormat.isBatchKey(array, keyOffset, keyLength)
        || (valueLength >= 0
            && (valueLength == 0 || array[valueOffset] != ChangelogFormat.VERSION_1))) {
      add(
          partition,
          offset,
          copy(array, keyOffset, keyLength),
          copy(array, valueOffset, valueLength));
      return;
    }
    Progress p = progress(partition);
    long before = bulk.bufferedBytes();
    if (valueLength < 0) {
      bulk.delete(p.storeName, array, keyOffset, keyLength);
    } else {
      int payload = ChangelogFormat.PAYLOAD_OFFSET;
      bulk.put(
          p.storeName,
          array,
          keyOffset,
          keyLength,
          array,
          valueOffset + payload,
          valueLength - payload);
    }
    long buffered = bulk.bufferedBytes();
    budget.add(buffered - before);
    p.nextOffset = Math.max(p.nextOffset, offset + 1);
    p.restored++;
    p.unapplied = true;
    if (buffered >= MAX_CHUNK_BYTES || (buffered >= MIN_CHUNK_BYTES && budget.exceeded())) {
      applyPending();
    }
  }

  private static byte[] copy(byte[] array, int offset, int length) {
    return length < 0 ? null : java.util.Arrays.copyOfRange(array, offset, offset + length);
  }

  /**
   * A batch record (design record 024): a put restores its marker and every entry it holds (and
   * deletes the keys a version-3 batch deletes, design record 032), or, for a scope the store keeps
   * whole, its marker with the record's value (design record 039); a tombstone deletes the marker
   * and every key of its scope: those already in the store (read with a range, no logged write,
   * which would make the store flush first) and those still pending in this batch or chunk
   * (remembered per scope), as deletes of the batch or chunk, after the records before the
   * tombstone and before those after it; a replay deletes them again, which changes nothing.
   *
   * @return whether the batch (or chunk) is full
   */
  private boolean addBatch(
      Progress p, TopicPartition partition, long offset, byte[] key, byte[] value) {
    byte[] scope = ChangelogFormat.batchScope(key);
    long before = bulk != null ? bulk.bufferedBytes() : 0;
    if (value == null) {
      // Every key of the scope written before this record is either in the store (applied
      // earlier) or pending in this batch or chunk (remembered when its batch record was added);
      // each becomes a delete of the batch, after those writes and before the writes that follow.
      List<byte[]> keys = new ArrayList<>();
      try (KeyValueIterator it = state.store(p.storeName).range(scope, prefixEnd(scope))) {
        while (it.hasNext()) {
          keys.add(it.next().key());
        }
      }
      List<byte[]> pending =
          pendingScopeKeys.remove(new PendingScope(p.storeName, ByteBuffer.wrap(scope)));
      if (pending != null) {
        keys.addAll(pending);
      }
      keys.add(key);
      for (byte[] k : keys) {
        stageDelete(p.storeName, k);
      }
    } else if (batchesStoredWhole.test(scope)) {
      // Stored whole (design record 039): the marker with the batch as its value, as the commit
      // that sent the record wrote it. A version-3 batch's deletes still delete their keys, which
      // a store written before this layout may hold as entries of their own.
      state.noteBatchStoredWhole();
      if (value.length == 0 || value[0] != ChangelogFormat.VERSION_2_BATCH) {
        forEachBatchEntry(
            partition,
            offset,
            key,
            value,
            (k, v, from, length) -> {
              if (v == null) {
                stageDelete(p.storeName, k);
              }
            });
      }
      stagePut(p.storeName, key, value, 0, value.length);
    } else {
      List<byte[]> pending =
          pendingScopeKeys.computeIfAbsent(
              new PendingScope(p.storeName, ByteBuffer.wrap(scope)), s -> new ArrayList<>());
      forEachBatchEntry(
          partition,
          offset,
          key,
          value,
          (k, v, from, length) -> {
            if (v == null) {
              // A delete of one entry (a version-3 batch, design record 032), after the puts
              // of the earlier batches it undoes.
              stageDelete(p.storeName, k);
              return;
            }
            pending.add(k);
            stagePut(p.storeName, k, v, from, length);
          });
      byte[] marker = ChangelogFormat.batchMarkerValue();
      stagePut(p.storeName, key, marker, 0, marker.length);
    }
    if (bulk != null) {
      long buffered = bulk.bufferedBytes();
      budget.add(buffered - before);
      return buffered >= MAX_CHUNK_BYTES || (buffered >= MIN_CHUNK_BYTES && budget.exceeded());
    }
    return batch.size() >= batchSize || batchBytes >= MAX_BATCH_BYTES;
  }

  /** Adds a delete to the bulk load's chunk or to the pending batch. */
  private void stageDelete(String storeName, byte[] key) {
    if (bulk != null) {
      bulk.delete(storeName, key);
    } else {
      batch.delete(storeName, key);
      batchBytes += key.length;
    }
  }

  /** Adds a put of {@code value[offset, offset + length)} to the bulk load's chunk or the batch. */
  private void stagePut(String storeName, byte[] key, byte[] value, int offset, int length) {
    if (bulk != null) {
      bulk.put(storeName, key, value, offset, length);
    } else {
      batch.put(storeName, key, value, offset, length);
      batchBytes += key.length + length;
    }
  }

  /** Visits a batch record's entries; a malformed record fails naming its offset. */
  private static void forEachBatchEntry(
      TopicPartition partition,
      long offset,
      byte[] key,
      byte[] value,
      ChangelogFormat.BatchEntryVisitor visitor) {
    try {
      ChangelogFormat.forEachBatchEntry(key, value, visitor);
    } catch (StateFormatException e) {
      throw new StateFormatException(
          "Changelog record at offset " + offset + " of " + partition + ": " + e.getMessage());
    }
  }

  /** The first key after every key that starts with {@code prefix}; null when there is none. */
  private static byte[] prefixEnd(byte[] prefix) {
    byte[] end = java.util.Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return java.util.Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }

  /** Bulk mode when the records to restore reach the threshold and the backend can bulk load. */
  private void chooseMode() {
    modeChosen = true;
    if (bulkThreshold < 0) {
      return;
    }
    long total = 0;
    for (Progress p : progress.values()) {
      total += Math.max(0L, p.endOffset - p.startOffset);
    }
    if (total >= bulkThreshold) {
      bulk = state.newBulkLoad();
      if (bulk != null) {
        LOG.info(
            "Task {}: restoring up to {} changelog records by ingesting sorted files",
            state.taskId(),
            total);
      }
    }
  }

  /** Whether records go to a {@link BulkLoad} rather than to batches. */
  boolean isBulk() {
    return bulk != null;
  }

  /**
   * Records that the consumer's position passed offsets holding no data (transaction markers,
   * aborted records, compacted gaps). Call only after every record below {@code position} was
   * {@link #add added}. Never moves past the end offset.
   */
  void advance(TopicPartition partition, long position) {
    Progress p = progress(partition);
    long reached = Math.min(position, p.endOffset);
    if (reached > p.nextOffset) {
      p.nextOffset = reached;
      p.unapplied = true;
    }
  }

  boolean isComplete(TopicPartition partition) {
    Progress p = progress(partition);
    return p.nextOffset >= p.endOffset;
  }

  long restored(TopicPartition partition) {
    return progress(partition).restored;
  }

  long total(TopicPartition partition) {
    Progress p = progress(partition);
    return Math.max(0L, p.endOffset - p.startOffset);
  }

  /**
   * Applies what is pending, with the offsets reached, in one unlogged batch; in bulk mode ingests
   * the chunk first and the batch holds only the offsets.
   */
  void applyPending() {
    boolean any = false;
    for (Progress p : progress.values()) {
      if (p.unapplied) {
        batch.putOffset(p.partition.toString(), p.nextOffset);
        any = true;
      }
    }
    if (!any) {
      return;
    }
    if (bulk != null) {
      // Data first, durably; only then the offsets it reaches (see the class comment).
      long held = bulk.bufferedBytes();
      try {
        bulk.ingest();
      } finally {
        budget.release(held);
      }
    }
    state.applyBatchWithoutWal(batch);
    batch.clear();
    batchBytes = 0;
    pendingScopeKeys.clear();
    for (Progress p : progress.values()) {
      if (p.unapplied) {
        p.unapplied = false;
        listener.onBatch(p.storeName, p.partition, p.restored, total(p.partition));
      }
    }
  }

  /** Applies what is pending, flushes so the restore is durable, and reports the end. */
  Map<String, Long> finish() {
    applyPending();
    state.flush();
    Map<String, Long> restored = new LinkedHashMap<>();
    for (Progress p : progress.values()) {
      restored.merge(p.storeName, p.restored, Long::sum);
      listener.onEnd(p.storeName, p.partition, p.restored);
    }
    return restored;
  }

  private Progress progress(TopicPartition partition) {
    return Objects.requireNonNull(
        progress.get(partition), () -> "Partition " + partition + " was not begun");
  }

  @Override
  public void close() {
    try {
      if (bulk != null) {
        budget.release(bulk.bufferedBytes());
        bulk.close();
      }
    } finally {
      batch.close();
    }
  }
}
