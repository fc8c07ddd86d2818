package dev.weir.internal.runtime;

import dev.weir.internal.task.RecordCollector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * A stream thread's producer and the collector its tasks write through. Under exactly-once it owns
 * the transaction: begun lazily at the first send (or commit), committed with the consumed offsets.
 *
 * <p>Invariant: after a commit whose outcome is unknown (timeout), this producer is never used to
 * abort a later transaction; {@link #recreate()} closes it and a new one's {@code
 * initTransactions()} resolves the old transaction first.
 */
final class ThreadProducer implements RecordCollector {
  private final KafkaClients clients;
  private final Map<String, Object> config;
  private final boolean exactlyOnce;
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private Producer<byte[], byte[]> producer;
  private PreparedProducers prepared;
  private int preparedIndex;
  private boolean inTransaction;
  private boolean written;
  private volatile Exception sendError;
  private final ProductionErrors productionErrors;
  // Dead letters for records the broker rejected (at-least-once), queued by the producer's I/O
  // thread and sent by the stream thread: a send from a producer callback could block it.
  private final java.util.Queue<ProductionErrors.DeadLetter> rejected =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  ThreadProducer(
      KafkaClients clients,
      Map<String, Object> config,
      boolean exactlyOnce,
      ProductionErrors productionErrors) {
    this.clients = clients;
    this.config = config;
    this.exactlyOnce = exactlyOnce;
    this.productionErrors = productionErrors;
  }

  /**
   * Makes {@link #init()} take its first producer from {@code prepared} (stream thread {@code
   * index}'s), started before the thread; later producers are created here. Before {@code init}.
   */
  void usePrepared(PreparedProducers prepared, int index) {
    this.prepared = prepared;
    this.preparedIndex = index;
  }

  void init() {
    Producer<byte[], byte[]> ready = prepared == null ? null : prepared.take(preparedIndex);
    prepared = null; // only the first producer
    // A prepared producer's transactions are initialized already under exactly-once.
    producer = ready != null ? ready : PreparedProducers.create(clients, config, exactlyOnce);
    inTransaction = false;
    written = false;
    changelogCallbacks.clear();
    sendError = null;
    rejected.clear();
  }

  @Override
  public void send(
      String topic, Integer partition, byte[] key, byte[] value, long timestamp, Headers headers) {
    beginIfNeeded();
    ProductionErrors.DeadLetter instead = productionErrors.beforeSend(topic, key, value, headers);
    if (instead != null) {
      if (instead.topic() != null) {
        producer.send(
            new ProducerRecord<>(
                instead.topic(),
                null,
                timestamp,
                instead.key(),
                instead.value(),
                instead.headers()),
            onSent);
      }
      return;
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, partition, timestamp, key, value, headers);
    // Under exactly-once a rejection fails the transaction whatever the handler says, so one
    // shared callback does; under at-least-once the handler needs the record.
    producer.send(record, exactlyOnce ? onSent : (md, e) -> onSent(record, e));
  }

  /** One callback for every record: it only keeps the first failure. */
  private final org.apache.kafka.clients.producer.Callback onSent =
      (md, e) -> {
        if (e != null) {
          keepFirst(md == null ? null : md.topic(), e);
        }
      };

  /** A failed record's send: a record error goes to the handler, the rest to the rollback. */
  private void onSent(ProducerRecord<byte[], byte[]> r, Exception e) {
    if (e == null) {
      return;
    }
    ProductionErrors.Outcome o = productionErrors.afterSend(r.topic(), r.key(), r.value(), e);
    if (o == null) {
      keepFirst(r.topic(), e);
    } else if (o.failure() != null) {
      keepFirst(r.topic(), o.failure());
    } else if (o.deadLetter().topic() != null) {
      rejected.add(o.deadLetter());
    }
  }

  private void keepFirst(String topic, Exception e) {
    if (sendError == null) {
      // Under exactly-once a rejected record is reported as what it is, not as a failed commit.
      ProductionErrors.Outcome o =
          exactlyOnce ? productionErrors.afterSend(topic, null, null, e) : null;
      sendError = o != null && o.failure() != null ? o.failure() : e;
    }
  }

  @Override
  public void sendChangelog(
      String topic,
      int partition,
      byte[] key,
      byte[] value,
      long timestamp,
      LongConsumer onOffset) {
    beginIfNeeded();
    org.apache.kafka.clients.producer.Callback callback = changelogCallbacks.get(onOffset);
    if (callback == null) {
      callback =
          (md, e) -> {
            if (e != null) {
              keepFirst(topic, e);
            } else {
              onOffset.accept(md.offset());
            }
          };
      changelogCallbacks.put(onOffset, callback);
    }
    producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value), callback);
  }

  // One callback per offset receiver (a store's changelog) instead of one per record; emptied at
  // every commit, flush and abort, so that it never outlives the tasks that sent through it.
  private final Map<LongConsumer, org.apache.kafka.clients.producer.Callback> changelogCallbacks =
      new java.util.IdentityHashMap<>();

  @Override
  public int partitionCount(String topic) {
    return partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
  }

  private void beginIfNeeded() {
    written = true;
    if (exactlyOnce && !inTransaction) {
      producer.beginTransaction();
      inTransaction = true;
    }
  }

  /**
   * Whether records were sent since the last commit (under exactly-once: a transaction is open), so
   * that a commit is due even when no input offset moved.
   */
  boolean hasUncommittedWrites() {
    return written || inTransaction;
  }

  /** Exactly-once: offsets into the transaction, then commit. Throws on any failure. */
  void commitTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    beginIfNeeded();
    if (!offsets.isEmpty()) {
      producer.sendOffsetsToTransaction(offsets, group);
    }
    try {
      producer.commitTransaction();
    } catch (KafkaException e) {
      // The callbacks ran before the commit failed: a rejected record is the real cause.
      if (sendError instanceof dev.weir.errors.WeirException rejectedRecord) {
        sendError = null;
        rejectedRecord.addSuppressed(e);
        throw rejectedRecord;
      }
      throw e;
    }
    inTransaction = false;
    written = false;
    changelogCallbacks.clear();
    throwIfSendFailed();
  }

  /** At-least-once: wait until every sent record (and dead letter) is acknowledged. */
  void flush() {
    producer.flush();
    for (ProductionErrors.DeadLetter d = rejected.poll(); d != null; d = rejected.poll()) {
      producer.send(
          new ProducerRecord<>(d.topic(), null, null, d.key(), d.value(), d.headers()), onSent);
      if (rejected.isEmpty()) {
        producer.flush();
      }
    }
    written = false;
    changelogCallbacks.clear();
    throwIfSendFailed();
  }

  private void throwIfSendFailed() {
    Exception e = sendError;
    if (e != null) {
      sendError = null;
      if (e instanceof dev.weir.errors.WeirException failure) {
        throw failure; // a record the handler would not skip: the thread fails
      }
      throw new KafkaException("A record could not be written: " + e, e);
    }
  }

  /**
   * Aborts the open transaction.
   *
   * @return false when the producer refused (a Kafka error, or {@link IllegalStateException}: the
   *     Kafka producer refuses an abort while a timed-out commit awaits its retry), so that it must
   *     be recreated
   */
  boolean abort() {
    sendError = null;
    written = false;
    changelogCallbacks.clear();
    rejected.clear();
    if (!exactlyOnce || !inTransaction) {
      return true;
    }
    try {
      producer.abortTransaction();
      inTransaction = false;
      return true;
    } catch (KafkaException | IllegalStateException e) {
      org.slf4j.LoggerFactory.getLogger(ThreadProducer.class)
          .debug("Producer refused the abort; it is replaced", e);
      return false;
    }
  }

  /** Closes this producer without waiting and starts a new one. */
  void recreate() {
    close(Duration.ZERO);
    init();
  }

  void close(Duration timeout) {
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (KafkaException e) {
        // The producer is being discarded after a failure; its state no longer matters.
        org.slf4j.LoggerFactory.getLogger(ThreadProducer.class).debug("Producer close failed", e);
      }
      producer = null;
    }
  }
}
