package dev.weir.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a task's local state up to date from its changelog topics: for each store it reads the
 * changelog partition from the locally committed offset (or the beginning, when there is none) up
 * to the end offset, and applies the records. An immutable, reusable value, configured with {@code
 * with...} methods.
 *
 * <pre>{@code
 * ChangelogRestorer restorer = ChangelogRestorer.create().withListener(metricsListener);
 * RestoreResult result = restorer.restore(restoreConsumer, taskState,
 *     Map.of("counter-op.count", new TopicPartition("app-counter-op.count-changelog", 3)));
 * TransactionalTaskState transactional = TransactionalTaskState.wrap(taskState);
 * }</pre>
 *
 * <p><b>The consumer</b> belongs to the caller and must be configured with {@code
 * isolation.level=read_committed} (so the end offset is the last stable offset and aborted records
 * are skipped), byte-array deserializers and no group subscription. The restorer replaces its
 * assignment by the changelog partitions and clears the assignment on return. To abort a restore
 * from another thread, call {@link Consumer#wakeup()}: the {@code WakeupException} propagates.
 *
 * <p><b>End offset.</b> The end offsets are read once, at the start; records written later are not
 * applied. Only the task's own producer writes its changelog partitions, so at restore time nothing
 * new arrives except the commit of a transaction of a previous owner that was still open. The
 * caller must wait until no transaction is open on the partitions first: that transaction can hold
 * input offsets the new owner will continue from, and a restore that stopped below it would miss
 * its state for good (Weir's stream threads do, see {@code OpenTransactions} in the runtime).
 *
 * <p><b>Batches and crash consistency.</b> Records are applied in batches of {@link
 * #withBatchSize(int) batchSize} through {@link TaskStateStore#applyBatchWithoutWal}, each batch
 * carrying the changelog offset its records reach; the state is flushed at the end. Skipping the
 * WAL halves the disk writes of a restore. It is safe because (a) RocksDB flushes the column
 * families of a task atomically, so a crash keeps some prefix of the batches, each complete with
 * its offsets; (b) the next restore resumes from the offsets that survived, and re-applying a
 * changelog record is idempotent (a put of the latest value, or a delete); and (c) the task state
 * flushes before any later logged write, so no logged commit can survive a crash that lost restore
 * data beneath it.
 *
 * <p><b>Large restores</b> (at least {@link #withBulkLoadThreshold the bulk-load threshold} of
 * records) ingest sorted files instead (design record 019). Each chunk's file is ingested durably
 * before a batch records the offsets it reaches, so the stores are never behind the offsets, and a
 * restore that resumes behind the stores re-applies records per key in changelog order, ending with
 * each key's last value: the same result as (b).
 *
 * <p><b>Progress</b> goes to the {@link RestoreListener} after every batch, and to the log at INFO
 * at most every {@value #LOG_INTERVAL_SECONDS} seconds.
 *
 * <p><b>Threading.</b> {@code restore} runs on the calling thread, which must own the task state.
 * Configured instances are immutable and thread-safe.
 */
public final class ChangelogRestorer {
  /** Default records per batch. */
  public static final int DEFAULT_BATCH_SIZE = 10_000;

  /** Default timeout of each {@code poll}. */
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);

  /**
   * Default of {@link #withBulkLoadThreshold}: a task with at least this many changelog records to
   * restore ingests sorted files instead of writing batches. About one memtable's worth of
   * ~150-byte records (16 MiB); below it a restore is a tail, fast either way.
   */
  public static final long DEFAULT_BULK_LOAD_THRESHOLD = 100_000;

  /** Minimum seconds between two progress log lines. */
  public static final long LOG_INTERVAL_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(ChangelogRestorer.class);

  private final int batchSize;
  private final Duration pollTimeout;
  private final RestoreListener listener;
  private final long bulkLoadThreshold;
  private final Map<String, Object> rawFetchConfig;

  private ChangelogRestorer(
      int batchSize, Duration pollTimeout, RestoreListener listener, long bulkLoadThreshold) {
    this(batchSize, pollTimeout, listener, bulkLoadThreshold, null);
  }

  private ChangelogRestorer(
      int batchSize,
      Duration pollTimeout,
      RestoreListener listener,
      long bulkLoadThreshold,
      Map<String, Object> rawFetchConfig) {
    this.rawFetchConfig = rawFetchConfig;
    this.batchSize = batchSize;
    this.pollTimeout = pollTimeout;
    this.listener = listener;
    this.bulkLoadThreshold = bulkLoadThreshold;
  }

  /**
   * Creates a restorer with the default batch size and poll timeout and no listener.
   *
   * @return the restorer; never null
   */
  public static ChangelogRestorer create() {
    return new ChangelogRestorer(
        DEFAULT_BATCH_SIZE,
        DEFAULT_POLL_TIMEOUT,
        RestoreListener.noOp(),
        DEFAULT_BULK_LOAD_THRESHOLD);
  }

  /**
   * Returns a copy with another batch size.
   *
   * @param records records per write batch; positive
   * @return the new restorer; never null
   * @throws IllegalArgumentException if {@code records} is not positive
   */
  public ChangelogRestorer withBatchSize(int records) {
    if (records <= 0) {
      throw new IllegalArgumentException("batch size must be positive but was " + records);
    }
    return new ChangelogRestorer(records, pollTimeout, listener, bulkLoadThreshold, rawFetchConfig);
  }

  /**
   * Returns a copy with another poll timeout.
   *
   * @param timeout the timeout of each {@code poll}; positive
   * @return the new restorer; never null
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public ChangelogRestorer withPollTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("poll timeout must be positive but was " + timeout);
    }
    return new ChangelogRestorer(batchSize, timeout, listener, bulkLoadThreshold, rawFetchConfig);
  }

  /**
   * Returns a copy reporting to a listener.
   *
   * @param restoreListener the listener; not null
   * @return the new restorer; never null
   */
  public ChangelogRestorer withListener(RestoreListener restoreListener) {
    return new ChangelogRestorer(
        batchSize,
        pollTimeout,
        Objects.requireNonNull(restoreListener, "restoreListener"),
        bulkLoadThreshold,
        rawFetchConfig);
  }

  /**
   * Returns a copy with another bulk-load threshold: a task whose changelogs hold at least this
   * many records to restore (from the local offsets to the end offsets, summed over its stores) is
   * restored through {@link TaskStateStore#newBulkLoad()} when the backend offers one: chunks of
   * records are sorted, reduced to the last write per key and ingested as files, each followed by
   * the offsets it reaches. Smaller restores, standbys and backends without bulk loading write
   * batches.
   *
   * @param records the threshold; 0 bulk-loads every restore, -1 none
   * @return the new restorer; never null
   * @throws IllegalArgumentException if {@code records} is below -1
   */
  public ChangelogRestorer withBulkLoadThreshold(long records) {
    if (records < -1) {
      throw new IllegalArgumentException(
          "bulk load threshold must be -1 (off) or at least 0 but was " + records);
    }
    return new ChangelogRestorer(batchSize, pollTimeout, listener, records, rawFetchConfig);
  }

  /**
   * Returns a copy that reads the changelogs of restores large enough for bulk mode with raw
   * read_committed fetch requests instead of the session's consumer (design record 030): the
   * fetched record batches are parsed on the writers, without a {@code ConsumerRecord} per record.
   * On any unexpected condition the session reads those partitions with its consumer from where the
   * raw reads stopped. The raw reader uses classes of the Kafka clients that are not public API.
   *
   * @param consumerConfig the configuration of the consumer the sessions are given (bootstrap
   *     servers, security, fetch sizes), or null to read everything with the consumer
   * @return the new restorer; never null
   */
  public ChangelogRestorer withRawFetch(Map<String, Object> consumerConfig) {
    return new ChangelogRestorer(
        batchSize,
        pollTimeout,
        listener,
        bulkLoadThreshold,
        consumerConfig == null
            ? null
            : java.util.Collections.unmodifiableMap(new HashMap<>(consumerConfig)));
  }

  /**
   * Starts a session that restores several tasks at once, in steps, for a thread that must keep
   * doing other work (see {@link RestoreSession}).
   *
   * @param consumer a read_committed byte-array consumer without group subscription, used only by
   *     the session until it is closed; not null
   * @param writers where changelog records are applied to the task states, or null to apply them on
   *     the thread calling {@link RestoreSession#poll}
   * @return the session, which the caller must close; never null
   */
  public RestoreSession session(Consumer<byte[], byte[]> consumer, Executor writers) {
    return new RestoreSession(
        batchSize, bulkLoadThreshold, listener, consumer, writers, rawFetchConfig);
  }

  /**
   * Starts a session that keeps standby copies of tasks' state up to date with their changelogs
   * (see {@link StandbySession}), writing in batches of this restorer's batch size.
   *
   * @param consumer a read_committed byte-array consumer without group subscription and with {@code
   *     auto.offset.reset=none}, used only by the session until it is closed; not null
   * @return the session, which the caller must close; never null
   */
  public StandbySession standbySession(Consumer<byte[], byte[]> consumer) {
    return new StandbySession(consumer, batchSize);
  }

  /**
   * Restores the given stores of a task and returns once all of them reached their end offsets.
   * Blocks while the broker is unreachable; use {@link Consumer#wakeup()} to abort.
   *
   * @param consumer a read_committed byte-array consumer, used exclusively during the call; not
   *     null
   * @param state the task's state, which must not be wrapped in a {@link TransactionalTaskState}
   *     with pending writes; not null
   * @param changelogs store name to its changelog partition; not null, may be empty. Partitions
   *     must be distinct
   * @return the records applied per store; never null
   * @throws IllegalArgumentException if a store is unknown or a partition is given twice
   * @throws StateFormatException if a record is not in {@link ChangelogFormat}
   * @throws org.apache.kafka.common.errors.WakeupException if the consumer was woken up
   * @throws org.apache.kafka.common.KafkaException if the consumer fails
   */
  public RestoreResult restore(
      Consumer<byte[], byte[]> consumer,
      TaskStateStore state,
      Map<String, TopicPartition> changelogs) {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(state, "state");
    if (storesByPartition(state, changelogs).isEmpty()) {
      return new RestoreResult(Map.of(), Duration.ZERO);
    }
    RuntimeException failure = null;
    RestoreSession session = session(consumer, null);
    try {
      session.add(state, changelogs);
      while (true) {
        RestoreResult done = session.poll(pollTimeout).get(state.taskId());
        if (done != null) {
          return done;
        }
      }
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      try {
        session.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
  }

  static long startOffset(
      TaskStateStore state,
      TopicPartition partition,
      Map<String, Long> committed,
      long beginning,
      long end) {
    Long local = committed.get(partition.toString());
    if (local == null) {
      return beginning;
    }
    if (local < beginning) {
      LOG.warn(
          "Task {}: local state of {} stops at offset {}, but the changelog now starts at {};"
              + " records in between were deleted (retention or delete-records), so restoring from"
              + " {} may miss updates",
          state.taskId(),
          partition,
          local,
          beginning,
          beginning);
      return beginning;
    }
    if (local > end) {
      LOG.warn(
          "Task {}: local state of {} is at offset {}, beyond the changelog's end offset {}; either"
              + " a just-committed transaction is not yet stable, or the changelog topic was"
              + " recreated, in which case delete the task's local state",
          state.taskId(),
          partition,
          local,
          end);
    }
    return local;
  }

  static Map<TopicPartition, String> storesByPartition(
      TaskStateStore state, Map<String, TopicPartition> changelogs) {
    Objects.requireNonNull(changelogs, "changelogs");
    Map<TopicPartition, String> stores = new LinkedHashMap<>();
    changelogs.forEach(
        (store, partition) -> {
          Objects.requireNonNull(partition, () -> "changelog partition of store " + store);
          if (!state.storeNames().contains(store)) {
            throw new IllegalArgumentException(
                "Task " + state.taskId() + " has no store '" + store + "' to restore");
          }
          String previous = stores.put(partition, store);
          if (previous != null) {
            throw new IllegalArgumentException(
                "Stores '" + previous + "' and '" + store + "' share changelog " + partition);
          }
        });
    return stores;
  }
}
