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
  private boolean inTransaction;
  private boolean written;
  private volatile Exception sendError;

  ThreadProducer(KafkaClients clients, Map<String, Object> config, boolean exactlyOnce) {
    this.clients = clients;
    this.config = config;
    this.exactlyOnce = exactlyOnce;
  }

  void init() {
    producer = clients.producer(config);
    if (exactlyOnce) {
      producer.initTransactions();
    }
    inTransaction = false;
    written = false;
    sendError = null;
  }

  @Override
  public void send(
      String topic, Integer partition, byte[] key, byte[] value, long timestamp, Headers headers) {
    beginIfNeeded();
    producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value, headers), onSent);
  }

  /** One callback for every record: it only keeps the first failure. */
  private final org.apache.kafka.clients.producer.Callback onSent =
      (md, e) -> {
        if (e != null && sendError == null) {
          sendError = e;
        }
      };

  @Override
  public void sendChangelog(
      String topic,
      int partition,
      byte[] key,
      byte[] value,
      long timestamp,
      LongConsumer onOffset) {
    beginIfNeeded();
    producer.send(
        new ProducerRecord<>(topic, partition, timestamp, key, value),
        (md, e) -> {
          if (e != null) {
            if (sendError == null) {
              sendError = e;
            }
          } else {
            onOffset.accept(md.offset());
          }
        });
  }

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
    producer.commitTransaction();
    inTransaction = false;
    written = false;
    throwIfSendFailed();
  }

  /** At-least-once: wait until every sent record is acknowledged. */
  void flush() {
    producer.flush();
    written = false;
    throwIfSendFailed();
  }

  private void throwIfSendFailed() {
    Exception e = sendError;
    if (e != null) {
      sendError = null;
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
