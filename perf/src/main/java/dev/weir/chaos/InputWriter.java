package dev.weir.chaos;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the workload's records in {@code seq} order on a thread of its own, each key to its fixed
 * partition, at most {@code rate} per second, at most {@code window} records ahead of the verified
 * output and below a limit the driver moves as its faults start, so input keeps arriving while
 * faults happen even when faults take longer than the input they were planned for. The producer is
 * idempotent with at most 5 requests in flight, so each partition receives its records once and in
 * order, across broker failures. A record that cannot be written fails the run as an input failure,
 * never as a lost record.
 */
final class InputWriter {
  private final Workload workload;
  private final String topic;
  private final long baseTime;
  private final long sentinelTime;
  private final int window;
  private final int rate;
  private final IntSupplier progress;
  private final IntSupplier limit;
  private final KafkaProducer<String, String> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong acknowledged = new AtomicLong();
  private final Thread thread;
  private volatile int sent;
  private volatile boolean stop;
  private boolean closed;

  InputWriter(
      String bootstrap,
      String topic,
      Workload workload,
      long baseTime,
      long sentinelTime,
      int window,
      int rate,
      IntSupplier progress,
      IntSupplier limit) {
    this.workload = workload;
    this.topic = topic;
    this.baseTime = baseTime;
    this.sentinelTime = sentinelTime;
    this.window = window;
    this.rate = rate;
    this.progress = progress;
    this.limit = limit;
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    // Broker restarts must not fail a send: retry for up to 10 minutes.
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-input-writer");
    producer = new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
    thread = new Thread(this::run, "chaos-input-writer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long start = System.nanoTime();
    try {
      for (int seq = 0; seq < workload.records() && !stop && failure.get() == null; seq++) {
        while ((seq - progress.getAsInt() >= window || seq >= limit.getAsInt())
            && !stop
            && failure.get() == null) {
          // Flow control: the window is full until the pipeline catches up, or the driver holds
          // input back until its next fault has started.
          producer.flush();
          java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        if (rate > 0) {
          // Pacing: record seq is due seq / rate seconds after the start.
          long due = start + (long) (seq * 1e9 / rate);
          long early = due - System.nanoTime();
          if (early > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(early);
          }
        }
        final int s = seq;
        producer.send(
            new ProducerRecord<>(
                topic,
                workload.partition(seq),
                baseTime + workload.eventTimeOffsetMs(seq),
                workload.key(seq),
                workload.value(seq)),
            (md, e) -> {
              if (e != null) {
                failure.compareAndSet(
                    null, new IllegalStateException("input seq " + s + ": " + e, e));
              } else {
                acknowledged.incrementAndGet();
              }
            });
        sent = seq + 1;
      }
      if (!stop && failure.get() == null) {
        // End-of-input sentinels, one per partition, far ahead in event time: every watermark
        // passes every window of the records (see Workload.sentinelKey).
        for (int p = 0; p < workload.partitions(); p++) {
          String key = Workload.sentinelKey(p);
          producer.send(
              new ProducerRecord<>(topic, p, sentinelTime, key, key + ":sentinel"),
              (md, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, new IllegalStateException("sentinel: " + e, e));
                } else {
                  acknowledged.incrementAndGet();
                }
              });
        }
      }
      producer.flush();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  /** Records handed to the producer so far. */
  int sent() {
    return sent;
  }

  /** True once every record and sentinel was acknowledged by the brokers. */
  boolean done() {
    return acknowledged.get() == workload.records() + workload.partitions();
  }

  /** The first failure to write input, or null. */
  Exception failure() {
    return failure.get();
  }

  void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    stop = true;
    thread.join(30_000);
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
