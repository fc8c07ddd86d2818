package dev.weir.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A real producer with faults on its commit path, the way a broker or network can produce them:
 *
 * <ul>
 *   <li>random exceptions, each drawn with probability {@code rate} per call of the method where it
 *       can occur: see {@link Fault};
 *   <li>a {@link CrashSwitch} checked at each {@link CrashSwitch.Point}, when outputs of the run
 *       were sent since the last commit, so a crash there always leaves outputs behind.
 * </ul>
 *
 * <p>Each injected exception is logged to stdout as {@code CHAOS-FAULT <fault>} so the driver can
 * count them. Not thread-safe beyond what Weir's thread producer needs (one thread).
 */
final class FaultyProducer implements Producer<byte[], byte[]> {

  /** Faults this producer injects. */
  enum Fault {
    /** {@code beginTransaction} throws {@link ProducerFencedException}. */
    FENCED_ON_BEGIN,
    /** {@code sendOffsetsToTransaction} throws {@link CommitFailedException}, offsets not added. */
    OFFSETS_COMMIT_FAILED,
    /** {@code sendOffsetsToTransaction} throws {@link TimeoutException}, offsets not added. */
    OFFSETS_TIMEOUT,
    /** {@code commitTransaction} throws {@link ProducerFencedException}, nothing committed. */
    FENCED_ON_COMMIT,
    /** {@code commitTransaction} throws an abortable {@link KafkaException}, nothing committed. */
    ABORTABLE_ON_COMMIT,
    /** {@code commitTransaction} times out before the commit reached the coordinator. */
    COMMIT_TIMEOUT_NOT_COMMITTED,
    /** {@code commitTransaction} commits, then reports a timeout: outcome unknown to the caller. */
    COMMIT_TIMEOUT_BUT_COMMITTED
  }

  private final Producer<byte[], byte[]> delegate;
  private final CrashSwitch crashSwitch;
  private final SplittableRandom random;
  private final double rate;
  private final String name;
  private long sentSinceCommit;
  private long changelogSentSinceCommit;

  FaultyProducer(
      Producer<byte[], byte[]> delegate,
      CrashSwitch crashSwitch,
      SplittableRandom random,
      double rate,
      String name) {
    this.delegate = delegate;
    this.crashSwitch = crashSwitch;
    this.random = random;
    this.rate = rate;
    this.name = name;
  }

  private boolean draw() {
    return rate > 0 && random.nextDouble() < rate;
  }

  private void inject(Fault fault) {
    System.out.println("CHAOS-FAULT " + fault + " in " + name);
  }

  private void reached(CrashSwitch.Point point) {
    if (sentSinceCommit > 0) {
      crashSwitch.reached(point, name, changelogSentSinceCommit > 0);
    }
  }

  private void committedOrAborted() {
    sentSinceCommit = 0;
    changelogSentSinceCommit = 0;
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    if (draw() && random.nextInt(4) == 0) {
      inject(Fault.FENCED_ON_BEGIN);
      throw new ProducerFencedException("chaos: injected fence on beginTransaction");
    }
    delegate.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    reached(CrashSwitch.Point.BEFORE_OFFSETS);
    if (draw() && random.nextInt(2) == 0) {
      if (random.nextBoolean()) {
        inject(Fault.OFFSETS_COMMIT_FAILED);
        throw new CommitFailedException("chaos: injected TxnOffsetCommit failure");
      }
      inject(Fault.OFFSETS_TIMEOUT);
      throw new TimeoutException("chaos: injected sendOffsetsToTransaction timeout");
    }
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() {
    reached(CrashSwitch.Point.BEFORE_COMMIT);
    if (draw()) {
      switch (random.nextInt(4)) {
        case 0 -> {
          inject(Fault.FENCED_ON_COMMIT);
          throw new ProducerFencedException("chaos: injected fence on commitTransaction");
        }
        case 1 -> {
          inject(Fault.ABORTABLE_ON_COMMIT);
          throw new KafkaException("chaos: injected abortable error on commitTransaction");
        }
        case 2 -> {
          inject(Fault.COMMIT_TIMEOUT_NOT_COMMITTED);
          throw new TimeoutException("chaos: injected commitTransaction timeout (not committed)");
        }
        default -> {
          delegate.commitTransaction();
          committedOrAborted();
          inject(Fault.COMMIT_TIMEOUT_BUT_COMMITTED);
          throw new TimeoutException("chaos: injected commitTransaction timeout (committed)");
        }
      }
    }
    delegate.commitTransaction();
    reached(CrashSwitch.Point.AFTER_COMMIT);
    committedOrAborted();
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
    committedOrAborted();
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    sentSinceCommit++;
    if (record.topic().endsWith("-changelog")) {
      changelogSentSinceCommit++;
    }
    return delegate.send(record, callback);
  }

  @Override
  public void flush() {
    delegate.flush();
    reached(CrashSwitch.Point.AFTER_FLUSH);
    committedOrAborted();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
