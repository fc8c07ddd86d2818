package dev.weir.perf;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * W9's data set for one window size {@code n}: {@value #KEYS} keys, each with exactly {@code n}
 * records in every one-minute window, written keyed (Kafka's default partitioner), so that the
 * input is already partitioned by key and neither contender repartitions. Within a partition event
 * time is out of order by under 5 s, never across a window boundary. After the data, one flush
 * record per partition, a minute and a half past the last window, closes every window.
 *
 * <p>The expected result of window (key, minute): {@code count,sumOfAmounts,orderHash}, where the
 * order hash folds the records' sequence numbers in insertion (= offset) order, so a window that
 * lost, doubled or reordered a record fails the check.
 */
final class W9Data {
  static final int KEYS = 4;
  static final long WINDOW_MS = 60_000;
  private static final long SEED = 0x9_2026L;

  /** Brings a record to about 100 bytes, like the main data set's. */
  private static final String FILLER = "x".repeat(52);

  private final int perWindow;
  private final int minutes;
  private final int partitions;
  private final long t0;
  private final Map<String, String> expected = new HashMap<>();

  /**
   * @param records about how many records (rounded down to whole windows, at least one per key)
   * @param perWindow records per key and window
   * @param partitions partitions of the topic
   * @param t0 the first window's start
   */
  W9Data(int records, int perWindow, int partitions, long t0) {
    this.perWindow = perWindow;
    this.minutes = minutes(records, perWindow);
    this.partitions = partitions;
    this.t0 = t0 - Math.floorMod(t0, WINDOW_MS);
  }

  /**
   * The first window's start for {@code records} records of {@code perWindow} per key and window:
   * {@code defaultT0} ({@link Dataset#defaultT0()}, three hours before the current hour), or
   * earlier when the data set and its flush records would otherwise end more than {@value
   * #FUTURE_MARGIN_MS} ms after {@code nowMs}. The broker refuses record timestamps more than an
   * hour ahead of its clock ({@code log.message.timestamp.after.max.ms}), which W9's 240,000-record
   * default never reaches (30 minutes of event time at n=2,000) but {@code --w9-records} at
   * millions does (2,400,000 records at n=2,000 are 300 minutes).
   *
   * @param records about how many records, as for the constructor
   * @param perWindow records per key and window
   * @param defaultT0 the start a smaller data set takes
   * @param nowMs the current time
   * @return the start to pass to the constructor
   */
  static long t0(int records, int perWindow, long defaultT0, long nowMs) {
    long span = (minutes(records, perWindow) + 2) * WINDOW_MS;
    return Math.min(defaultT0, nowMs + FUTURE_MARGIN_MS - span);
  }

  /** How far past the current time W9's event times may reach ({@link #t0}). */
  static final long FUTURE_MARGIN_MS = 30 * 60_000L;

  private static int minutes(int records, int perWindow) {
    return Math.max(1, records / (KEYS * perWindow));
  }

  /** The first window's start. */
  long t0() {
    return t0;
  }

  int perWindow() {
    return perWindow;
  }

  /** Data records (without the flush records, which the checker ignores). */
  long totalRecords() {
    return (long) minutes * KEYS * perWindow;
  }

  /** Windows whose result is expected. */
  long windows() {
    return (long) minutes * KEYS;
  }

  static String key(int k) {
    return "w" + k;
  }

  /** The expected value of window {@code key@start}, or null when none is expected. */
  String expected(String keyAtStart) {
    return expected.get(keyAtStart);
  }

  /** Writes the data set and the flush records; returns how many records were acknowledged. */
  long load(String bootstrap, String topic) {
    SplittableRandom random = new SplittableRandom(SEED);
    long[] acked = {0};
    Exception[] failure = {null};
    long sent = 0;
    try (KafkaProducer<byte[], byte[]> p = Loader.producer(bootstrap, 20)) {
      long seq = 0;
      for (int m = 0; m < minutes; m++) {
        long start = t0 + m * WINDOW_MS;
        long[] sum = new long[KEYS];
        long[] hash = new long[KEYS];
        for (int i = 0; i < perWindow; i++) {
          long at = start + i * WINDOW_MS / perWindow;
          for (int k = 0; k < KEYS; k++) {
            long time = Math.max(start, at - random.nextInt(5_000));
            long amount = random.nextInt(100_000);
            Event e = new Event(seq, key(k), time, amount, "c" + (seq % 10), "p" + seq + FILLER);
            sum[k] += amount;
            hash[k] = hash[k] * 1_000_003L + seq;
            seq++;
            send(p, topic, null, e, acked, failure);
            sent++;
          }
        }
        for (int k = 0; k < KEYS; k++) {
          expected.put(key(k) + "@" + start, perWindow + "," + sum[k] + "," + hash[k]);
        }
      }
      long flushTime = t0 + minutes * WINDOW_MS + WINDOW_MS + WINDOW_MS / 2;
      for (int partition = 0; partition < partitions; partition++) {
        Event e = new Event(seq++, flushKey(partition), flushTime, 0, "c0", "flush");
        send(p, topic, partition, e, acked, failure);
        sent++;
      }
      p.flush();
    }
    if (failure[0] != null || acked[0] != sent) {
      throw new IllegalStateException(
          "Loading " + topic + ": " + acked[0] + " of " + sent + " acknowledged: " + failure[0]);
    }
    return sent;
  }

  /** A key Kafka's default partitioner sends to {@code partition}, so the input stays keyed. */
  private String flushKey(int partition) {
    for (int j = 0; ; j++) {
      String k = "f" + j;
      byte[] b = k.getBytes(StandardCharsets.UTF_8);
      if (Utils.toPositive(Utils.murmur2(b)) % partitions == partition) {
        return k;
      }
    }
  }

  private static void send(
      KafkaProducer<byte[], byte[]> p,
      String topic,
      Integer partition,
      Event e,
      long[] acked,
      Exception[] failure) {
    byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
    byte[] value = e.toLine().getBytes(StandardCharsets.UTF_8);
    p.send(
        new ProducerRecord<>(topic, partition, e.eventTime(), key, value),
        (md, ex) -> {
          synchronized (acked) {
            if (ex != null) {
              failure[0] = failure[0] == null ? ex : failure[0];
            } else {
              acked[0]++;
            }
          }
        });
  }

  /**
   * What both contenders' window functions compute from a window's records in the order they
   * received them: {@code count,sumOfAmounts,orderHash}.
   */
  static String summarise(Iterable<String> lines) {
    long count = 0;
    long sum = 0;
    long hash = 0;
    for (String line : lines) {
      Event e = Event.parse(line);
      count++;
      sum += e.amountCents();
      hash = hash * 1_000_003L + e.seq();
    }
    return count + "," + sum + "," + hash;
  }
}
