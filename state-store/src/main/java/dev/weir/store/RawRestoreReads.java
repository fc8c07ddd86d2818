package dev.weir.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw reads of one {@link RestoreSession} (design record 030): which tasks' changelogs are read
 * with raw fetch requests instead of the session's consumer, the {@link RawChangelogReader} that
 * reads them, the offset each raw partition is read from next, and the fallback to the consumer
 * when the reader fails. The session owns the tasks, the consumer and the writers; it asks this
 * class which of its partitions are read raw, hands the chunks {@link #fetch} returns to the tasks'
 * writers, which apply them through {@link #apply}, and on a fallback takes the raw partitions over
 * into its consumer from the offsets this class gives it.
 *
 * <p>Logs through the session's logger ({@code dev.weir.store.RestoreSession}), so one log level
 * shows whole restores, raw or not. Owner thread of the session only, except {@link #apply} (and
 * the {@link #walkCounts} it adds to), which writers run.
 */
final class RawRestoreReads implements AutoCloseable {
  /** How the session takes the raw partitions over into its consumer after a failure. */
  @FunctionalInterface
  interface FallBack {
    /**
     * Reads the partitions with the consumer from now on.
     *
     * @param from each partition formerly read raw, to the offset after its last chunk
     */
    void readWithConsumer(Map<TopicPartition, Long> from);
  }

  private static final Logger LOG = LoggerFactory.getLogger(RestoreSession.class);

  /**
   * The restore consumer's configuration for the raw reader, or null to read everything with the
   * consumer.
   */
  private final Map<String, Object> config;

  private final Consumer<byte[], byte[]> consumer;
  private final long bulkLoadThreshold;

  private final FallBack fallBack;

  /** Created at the first task read raw; null after a fallback. */
  private RawChangelogReader reader;

  /** Partitions read raw, to the offset of their next fetch. */
  private final Map<TopicPartition, Long> positions = new HashMap<>();

  /** Whether the raw reader failed in this session: every later task reads with the consumer. */
  private boolean failed;

  /** Tests: the raw reader fails at this fetch (counted from 1); 0 never. */
  int failAt;

  private int fetches;

  /** Raw chunks handed to writers (tests). */
  private long chunks;

  /** Records the writers took from raw chunks, by how they were read (tests). */
  private final RawChangelogReader.WalkCounts walkCounts = new RawChangelogReader.WalkCounts();

  /**
   * @param config the restore consumer's configuration, or null for no raw reads
   * @param consumer the session's consumer, which knows the partitions' leaders
   * @param bulkLoadThreshold the records to restore from which a task is bulk-loaded, negative for
   *     never; the same threshold decides raw reads
   * @param fallBack called on a failure, once, with the raw partitions and the offsets to read them
   *     from with the consumer
   */
  RawRestoreReads(
      Map<String, Object> config,
      Consumer<byte[], byte[]> consumer,
      long bulkLoadThreshold,
      FallBack fallBack) {
    this.config = config;
    this.consumer = consumer;
    this.bulkLoadThreshold = bulkLoadThreshold;
    this.fallBack = fallBack;
  }

  /**
   * Decides whether a task's changelogs are read with raw fetches, and if so starts reading them:
   * when enabled, for a restore large enough for bulk mode (the same total its writer decides by),
   * while the raw reader works, and when every partition's leader is known.
   *
   * @param taskId the task, for the log
   * @param total the records the task has to restore at most
   * @param partitions the task's partitions with records to restore
   * @param startOffsets where each partition's restore starts (may hold other partitions too)
   * @return whether the partitions are read raw; if not, the consumer reads them
   */
  boolean start(
      String taskId,
      long total,
      Set<TopicPartition> partitions,
      Map<TopicPartition, Long> startOffsets) {
    if (config == null
        || failed
        || bulkLoadThreshold < 0
        || total < bulkLoadThreshold
        || partitions.isEmpty()) {
      return false;
    }
    try {
      if (reader == null) {
        reader = new RawChangelogReader(config);
      }
      Map<TopicPartition, Node> leaders = new HashMap<>();
      for (TopicPartition tp : partitions) {
        if (reader.knows(tp)) {
          continue;
        }
        for (PartitionInfo info : consumer.partitionsFor(tp.topic())) {
          if (info.leader() != null && !info.leader().isEmpty()) {
            leaders.put(new TopicPartition(info.topic(), info.partition()), info.leader());
          }
        }
        if (!leaders.containsKey(tp)) {
          LOG.info("Task {}: no leader known for {}; reading with the consumer", taskId, tp);
          return false;
        }
      }
      reader.leaders(leaders);
      LOG.info(
          "Task {}: reading {} changelog partitions with raw fetch requests",
          taskId,
          partitions.size());
    } catch (RuntimeException | LinkageError e) {
      LOG.warn(
          "Raw changelog reads are unavailable ({}); the restore reads with the consumer",
          e.toString());
      failed = true;
      closeReader();
      return false;
    }
    for (TopicPartition tp : partitions) {
      positions.put(tp, startOffsets.get(tp));
    }
    return true;
  }

  /**
   * Returns whether a partition is read raw.
   *
   * @param tp a partition of the session
   * @return true from {@link #start} until the partition is {@link #forget forgotten} or the reads
   *     fell back to the consumer
   */
  boolean reads(TopicPartition tp) {
    return positions.containsKey(tp);
  }

  /**
   * Stops reading partitions raw (their task left the session, or they were read to the end).
   *
   * @param partitions partitions, read raw or not
   */
  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(positions::remove);
  }

  /**
   * Fetches for the raw partitions given and returns the chunks to hand to their tasks' writers,
   * each partition's next fetch starting after its chunk. On a failure of the reader this falls
   * back (see the constructor) and returns nothing.
   *
   * @param fetchable raw partitions whose writers have room
   * @param timeout how long to wait for a response
   * @param reading whether the session still reads a partition; answers for the others are dropped
   * @return the new chunks, in the order of the responses; never null
   */
  List<RawChangelogReader.Fetched> fetch(
      Set<TopicPartition> fetchable, Duration timeout, Predicate<TopicPartition> reading) {
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicPartition tp : fetchable) {
      from.put(tp, positions.get(tp));
    }
    List<RawChangelogReader.Fetched> fetched;
    try {
      fetches++;
      if (failAt > 0 && fetches >= failAt) {
        throw new RawChangelogReader.Unavailable("failure injected by a test", null);
      }
      fetched = reader.fetch(from, timeout.toMillis());
    } catch (RawChangelogReader.Unavailable e) {
      fallBack(e);
      return List.of();
    }
    List<RawChangelogReader.Fetched> out = new ArrayList<>();
    for (RawChangelogReader.Fetched f : fetched) {
      TopicPartition tp = f.partition;
      Long position = positions.get(tp);
      if (!reading.test(tp) || position == null || position != f.fetchOffset) {
        continue; // removed meanwhile (and perhaps added again): an answer to an older request
      }
      positions.put(tp, f.nextOffset);
      chunks++;
      out.add(f);
    }
    return out;
  }

  /**
   * Runs on a writer: applies a raw chunk, its committed records below the end, in order.
   *
   * @param f the chunk, from {@link #fetch}
   * @param end the offset at which the partition's restore stops
   * @param writer the chunk's task's writer
   */
  void apply(RawChangelogReader.Fetched f, long end, RestoreBatchWriter writer) {
    TopicPartition tp = f.partition;
    f.forEach(
        end,
        (offset, array, keyOffset, keyLength, valueOffset, valueLength) ->
            writer.add(tp, offset, array, keyOffset, keyLength, valueOffset, valueLength),
        walkCounts);
    writer.advance(tp, f.nextOffset);
  }

  /**
   * The raw reader failed: its partitions go to the consumer from the offsets after the chunks
   * handed to the writers, which apply them before anything the consumer reads.
   */
  private void fallBack(RuntimeException cause) {
    LOG.warn(
        "Raw changelog reads failed; reading {} partitions with the consumer from where they"
            + " stopped",
        positions.size(),
        cause);
    failed = true;
    closeReader();
    Map<TopicPartition, Long> from = new HashMap<>(positions);
    positions.clear();
    fallBack.readWithConsumer(from);
  }

  /** Raw chunks handed to the writers so far (tests). */
  long chunkCount() {
    return chunks;
  }

  /** Records the writers took from raw chunks, by how they were read (tests). */
  RawChangelogReader.WalkCounts walkCounts() {
    return walkCounts;
  }

  /** Whether the raw reader failed and its partitions went to the consumer (tests). */
  boolean fellBack() {
    return failed;
  }

  /** Closes the raw reader, if any; what a close fails with is logged at DEBUG only. */
  @Override
  public void close() {
    closeReader();
  }

  private void closeReader() {
    if (reader != null) {
      RawChangelogReader r = reader;
      reader = null;
      try {
        r.close();
      } catch (RuntimeException e) {
        LOG.debug("Closing the raw changelog reader failed", e);
      }
    }
  }
}
