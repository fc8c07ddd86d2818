package dev.weir.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer-independent half of {@link ChangelogRestorer}: turns changelog records into large
 * unlogged batches on a {@link TaskStateStore}, each carrying the offsets its records reach, and
 * reports progress.
 *
 * <p>Invariant: the offset written for a partition never passes a record that is not in the same or
 * an earlier batch, so whatever prefix of batches survives a crash, the offsets it holds say
 * exactly where to resume.
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

  private final TaskStateStore state;
  private final int batchSize;
  private long batchBytes;
  private final RestoreListener listener;
  private final StateWriteBatch batch;
  private final Map<TopicPartition, Progress> progress = new LinkedHashMap<>();

  RestoreBatchWriter(TaskStateStore state, int batchSize, RestoreListener listener) {
    this.state = state;
    this.batchSize = batchSize;
    this.listener = listener;
    this.batch = state.newWriteBatch();
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
    if (value == null) {
      batch.delete(p.storeName, key);
      batchBytes += key.length;
    } else {
      try {
        ChangelogFormat.checkVersion(value);
      } catch (StateFormatException e) {
        throw new StateFormatException(
            "Changelog record at offset " + offset + " of " + partition + ": " + e.getMessage());
      }
      int payload = ChangelogFormat.PAYLOAD_OFFSET;
      batch.put(p.storeName, key, value, payload, value.length - payload);
      batchBytes += key.length + value.length;
    }
    p.nextOffset = Math.max(p.nextOffset, offset + 1);
    p.restored++;
    p.unapplied = true;
    if (batch.size() >= batchSize || batchBytes >= MAX_BATCH_BYTES) {
      applyPending();
    }
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

  /** Applies what is pending, with the offsets reached, in one unlogged batch. */
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
    state.applyBatchWithoutWal(batch);
    batch.clear();
    batchBytes = 0;
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
    batch.close();
  }
}
