package dev.weir.perf;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes generated records into a topic and fails unless every one was acknowledged. */
final class Loader {
  private Loader() {}

  /** A producer tuned for bulk loading; idempotent, acks=all, so nothing is lost or doubled. */
  static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Loads the data set (with record keys if it is keyed); returns the number of records written.
   */
  static long load(String bootstrap, String topic, Dataset data) {
    return load(bootstrap, topic, null, data);
  }

  /**
   * Loads the data set into two topics (W6): even sequence numbers into {@code left}, odd ones into
   * {@code right}, each side round-robin over its partitions ({@link W6Pairs#partition}).
   *
   * @return the number of records written to both
   */
  static long loadSplit(String bootstrap, String left, String right, Dataset data) {
    return load(bootstrap, left, right, data);
  }

  private static long load(String bootstrap, String topic, String right, Dataset data) {
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap, 20)) {
      long[] count = {0};
      data.generate(
          (partition, timestamp, key, value) -> {
            count[0]++;
            ProducerRecord<byte[], byte[]> r;
            if (right == null) {
              // A keyed data set (W2K) names its key's partition itself, as the producer would.
              r = new ProducerRecord<>(topic, partition, timestamp, key, value);
            } else {
              long seq = Event.leadingSeq(value);
              r =
                  new ProducerRecord<>(
                      W6Pairs.isLeft(seq) ? topic : right,
                      W6Pairs.partition(seq, data.partitions()),
                      timestamp,
                      null,
                      value);
            }
            p.send(
                r,
                (md, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  } else {
                    acked.incrementAndGet();
                  }
                });
          });
      p.flush();
      sent = count[0];
    }
    if (failure.get() != null || acked.get() != sent) {
      throw new IllegalStateException(
          "Loading "
              + topic
              + ": "
              + acked.get()
              + " of "
              + sent
              + " records acknowledged; first error: "
              + failure.get(),
          failure.get());
    }
    return sent;
  }
}
