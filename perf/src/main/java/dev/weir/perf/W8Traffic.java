package dev.weir.perf;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** W8's input generator and output reader, each on its own thread. */
final class W8Traffic {
  private W8Traffic() {}

  /**
   * Writes W3-style events at a fixed rate, each stamped with its send time (the record timestamp
   * both contenders carry through to their output), cycling over the keys, and counts what it sent
   * per key for the exact check.
   */
  static final class Generator implements AutoCloseable {
    private static final String PAYLOAD = "abcdefghijklmnopqrstuvwxyz".repeat(3);

    private final String topic;
    private final int keys;
    private final int[] sentPerKey;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acked = new AtomicLong();
    private volatile boolean running;
    private long sent;
    private Thread thread;

    Generator(String bootstrap, String topic, int keys) {
      this.topic = topic;
      this.keys = keys;
      this.sentPerKey = new int[keys];
      this.producer = Loader.producer(bootstrap, 0);
    }

    /** Sends one record per key and waits until all are acknowledged: the state to fail over. */
    void preload() {
      for (int i = 0; i < keys; i++) {
        send(System.currentTimeMillis());
      }
      producer.flush();
      check();
    }

    /** Starts sending {@code rate} records per second on a thread of its own. */
    void start(int rate) {
      running = true;
      thread =
          new Thread(
              () -> {
                long begin = System.nanoTime();
                long base = sent;
                while (running && failure.get() == null) {
                  long due = base + (System.nanoTime() - begin) * rate / 1_000_000_000L;
                  while (sent < due) {
                    send(System.currentTimeMillis());
                  }
                  try {
                    Thread.sleep(2); // the generator's pace
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              },
              "w8-generator");
      thread.start();
    }

    private void send(long now) {
      long seq = sent++;
      int key = (int) (seq % keys);
      sentPerKey[key]++;
      String name = W8Checker.keyName(key);
      String line = new Event(seq, name, now, seq % 100_000, "c1", PAYLOAD).toLine();
      producer.send(
          new ProducerRecord<>(
              topic,
              null,
              now,
              name.getBytes(StandardCharsets.UTF_8),
              line.getBytes(StandardCharsets.UTF_8)),
          (md, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            } else {
              acked.incrementAndGet();
            }
          });
    }

    /**
     * Stops sending and waits until everything sent is acknowledged.
     *
     * @return records sent per key
     * @throws IllegalStateException when a send failed
     */
    int[] stop() throws InterruptedException {
      running = false;
      if (thread != null) {
        thread.join();
      }
      producer.flush();
      check();
      return sentPerKey.clone();
    }

    /** Records sent so far; only after {@link #stop} or {@link #preload}, or from the thread. */
    long sent() {
      return sent;
    }

    private void check() {
      if (failure.get() != null || acked.get() != sent) {
        throw new IllegalStateException(
            "Writing "
                + topic
                + ": "
                + acked.get()
                + " of "
                + sent
                + " records acknowledged; first error: "
                + failure.get(),
            failure.get());
      }
    }

    @Override
    public void close() {
      running = false;
      producer.close(Duration.ofSeconds(10));
    }
  }

  /**
   * Reads the output topic read_committed from the beginning and notes, per record, its output
   * partition, the input timestamp it carries and the wall-clock time the reader received it; feeds
   * every record to the {@link W8Checker}. The main thread reads the notes only after {@link
   * #stop}.
   */
  static final class Reader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final W8Checker checker;
    private final LongList[] arrivalsByPartition;
    private final LongList timestamps = new LongList();
    private final LongList arrivals = new LongList();
    private final AtomicLong seen = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private final Thread thread;

    Reader(String bootstrap, String topic, int partitionCount, W8Checker checker) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      this.consumer = new KafkaConsumer<>(p);
      this.checker = checker;
      this.arrivalsByPartition = new LongList[partitionCount];
      for (int i = 0; i < partitionCount; i++) {
        partitions.add(new TopicPartition(topic, i));
        arrivalsByPartition[i] = new LongList();
      }
      this.thread = new Thread(this::read, "w8-reader");
    }

    void start() {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      thread.start();
    }

    private void read() {
      try {
        while (running) {
          var records = consumer.poll(Duration.ofMillis(20));
          long now = System.currentTimeMillis();
          for (ConsumerRecord<byte[], byte[]> r : records) {
            arrivalsByPartition[r.partition()].add(now);
            timestamps.add(r.timestamp());
            arrivals.add(now);
            checker.accept(r.key(), r.value());
          }
          seen.set(checker.seen());
        }
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }

    /** Outputs the checker took in order so far; any thread. */
    long seen() {
      return seen.get();
    }

    /** Why the reader stopped early, or null. */
    Exception failure() {
      return failure.get();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    /** Per output partition, the arrival times; after {@link #stop}. */
    long[][] arrivalsByPartition() {
      return Arrays.stream(arrivalsByPartition).map(LongList::toArray).toArray(long[][]::new);
    }

    /** Per output record, its input timestamp; after {@link #stop}. */
    long[] timestamps() {
      return timestamps.toArray();
    }

    /** Per output record, its arrival time, in the order of {@link #timestamps}; after stop. */
    long[] arrivals() {
      return arrivals.toArray();
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      consumer.close();
    }
  }

  /** A growable array of longs: a run notes a few hundred thousand times. */
  static final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d values", size);
    }
  }
}
