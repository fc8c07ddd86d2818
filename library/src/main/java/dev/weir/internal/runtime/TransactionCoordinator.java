package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.task.RecordCollector;
import dev.weir.internal.task.TaskMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread's side of Kafka: begins, commits and aborts its transactions (or, at-least-once,
 * flushes and commits offsets), and applies the {@link CommitFailurePolicy} to the producer after a
 * failure: abort, or replace the producer, or give up. Thread-confined to its stream thread.
 */
final class TransactionCoordinator implements CommitOrder.Transaction {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);

  /** How a commit reaches Kafka. */
  enum Guarantee {
    /** Offsets go into the producer's transaction with the group's metadata (KIP-447). */
    EXACTLY_ONCE {
      @Override
      void commit(
          ThreadProducer producer,
          Consumer<byte[], byte[]> consumer,
          Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.commitTransaction(offsets, consumer.groupMetadata());
      }
    },
    /** Every written record is acknowledged before the offsets are committed. */
    AT_LEAST_ONCE {
      @Override
      void commit(
          ThreadProducer producer,
          Consumer<byte[], byte[]> consumer,
          Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.flush();
        if (!offsets.isEmpty()) {
          consumer.commitSync(offsets);
        }
      }
    };

    abstract void commit(
        ThreadProducer producer,
        Consumer<byte[], byte[]> consumer,
        Map<TopicPartition, OffsetAndMetadata> offsets);
  }

  private final String name;
  private final ThreadProducer producer;
  private final Guarantee guarantee;
  private final int maxFailures;
  private final TaskMetrics metrics;
  private Consumer<byte[], byte[]> consumer;
  private int consecutiveFailures;

  /** The last transaction has an unknown outcome and the producer was not replaced yet. */
  private boolean outcomeUnknown;

  TransactionCoordinator(
      String name,
      ThreadProducer producer,
      Guarantee guarantee,
      int maxFailures,
      TaskMetrics metrics) {
    this.name = name;
    this.producer = producer;
    this.guarantee = guarantee;
    this.maxFailures = maxFailures;
    this.metrics = metrics;
  }

  /** A coordinator for stream thread {@code index}, with the guarantee of {@code setup}. */
  static TransactionCoordinator create(
      String name, RuntimeSetup setup, int index, TaskMetrics metrics) {
    return new TransactionCoordinator(
        name,
        new ThreadProducer(
            setup.clients(),
            setup.producerConfig(index),
            setup.exactlyOnce(),
            new ProductionErrors(
                name,
                setup.config(),
                setup.producerConfig(index),
                ProductionErrors.handler(setup.config()),
                metrics)),
        setup.exactlyOnce() ? Guarantee.EXACTLY_ONCE : Guarantee.AT_LEAST_ONCE,
        setup.maxCommitFailures(),
        metrics);
  }

  /** The first producer comes from {@code prepared} (see {@link PreparedProducers}). */
  void usePrepared(PreparedProducers prepared, int index) {
    producer.usePrepared(prepared, index);
  }

  /** Creates the producer (and under exactly-once initializes its transactions). */
  void start(Consumer<byte[], byte[]> groupConsumer) {
    this.consumer = groupConsumer;
    producer.init();
  }

  /** The collector tasks write through. */
  RecordCollector collector() {
    return producer;
  }

  @Override
  public boolean hasUncommittedWrites() {
    return producer.hasUncommittedWrites();
  }

  @Override
  public boolean needsFencingOffset() {
    return guarantee == Guarantee.EXACTLY_ONCE;
  }

  @Override
  public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    guarantee.commit(producer, consumer, offsets);
  }

  /** A commit succeeded: the count of consecutive failures starts again. */
  void committed() {
    consecutiveFailures = 0;
  }

  /**
   * Applies the failure policy to the producer after {@code failure}; on return the producer is
   * ready for a new transaction and the caller rolls its tasks back (rebuilds them, or closes them
   * dirty on revocation).
   *
   * @param failure what the commit path threw; not null
   * @throws RuntimeException {@code failure} itself (or wrapped, when checked) if it is not a
   *     failure of the commit path; a {@link WeirException} once more than {@code
   *     max.commit.failures} failures came in a row
   * @throws Error {@code failure} itself if it is one
   */
  void recover(Throwable failure) {
    CommitFailurePolicy.Action action = CommitFailurePolicy.classify(failure);
    if (action == CommitFailurePolicy.Action.FAIL_THREAD) {
      throw rethrow(failure);
    }
    metrics.aborts.increment();
    consecutiveFailures++;
    outcomeUnknown = action == CommitFailurePolicy.Action.RECREATE_UNKNOWN_OUTCOME;
    LOG.warn(
        "{}: rolling back to the last commit after {} ({}, attempt {})",
        name,
        failure.toString(),
        action,
        consecutiveFailures);
    if (consecutiveFailures > maxFailures) {
      throw new WeirException(
          name
              + ": "
              + consecutiveFailures
              + " consecutive commits failed; giving up. Last: "
              + failure
              + ". Check the brokers and the producer's logs; raise max.commit.failures"
              + " to tolerate longer outages.",
          failure);
    }
    switch (action) {
      case RECREATE_FENCED, RECREATE_UNKNOWN_OUTCOME -> {
        producer.recreate();
        outcomeUnknown = false;
      }
      default -> {
        if (!producer.abort()) {
          producer.recreate();
        }
      }
    }
  }

  /** The consumer lost its partitions without a revocation: the open transaction is dropped. */
  void discardLost() {
    if (!producer.abort()) {
      producer.recreate();
    }
  }

  /**
   * The thread is dying: drops the open transaction on a best-effort basis and never throws. A
   * transaction with an unknown outcome is never aborted; it is left, as one whose abort fails, to
   * the next producer with the same transactional id (whose {@code initTransactions()} resolves it)
   * or to the transaction timeout.
   */
  void abandon() {
    if (outcomeUnknown) {
      return;
    }
    try {
      producer.abort();
    } catch (Throwable t) { // the thread is dying of another failure already
      LOG.warn("{}: aborting the open transaction of a failed thread failed", name, t);
    }
  }

  /** Closes the producer; never throws. */
  void close(Duration timeout) {
    try {
      producer.close(timeout);
    } catch (Throwable t) { // closing must reach the other clients
      LOG.warn("{}: closing the producer failed", name, t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof Error e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      return e;
    }
    return new WeirException(t.toString(), t);
  }
}
