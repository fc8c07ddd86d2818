package dev.weir.perf;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.apache.kafka.common.utils.Utils;

/**
 * The deterministic benchmark input and what each workload must output for it.
 *
 * <p>{@code records} events (default 2,000,000, about 100 bytes each) over {@code keys} keys
 * (default 10,000), spread round-robin over the partitions by sequence number, so that the input is
 * not partitioned by key and every keyed workload has to repartition. A <em>keyed</em> data set
 * (W2K) has the same records, each with its key as the Kafka record key and in the partition
 * Kafka's default partitioner gives that key, so it is already partitioned by key. Event times
 * cover one hour from {@link #t0()}, with under 5 s of disorder; 0.1% of the records in the second
 * half are two hours late. W2 adds {@link #flushRecords flush records} at the end of each run.
 *
 * <p>Given the same sizes, seed and {@code t0}, the content is identical; {@code t0} defaults to
 * three hours before the current hour, so that brokers accept the timestamps (not more than an hour
 * in the future, well within retention) and window boundaries are the same in every run.
 *
 * <p>One pass of {@link #generate} writes the records and fills in the expectations: W1's kept
 * count and content hash, W2's count per key and window, W3's count per key.
 */
final class Dataset {
  /** Flush records per partition; their keys spread over every partition of a repartition topic. */
  static final int FLUSH_KEYS = 64;

  static final long HOUR_MS = Duration.ofHours(1).toMillis();
  static final long WINDOW_MS = 10_000;
  static final long MAX_DISORDER_MS = 5_000;
  static final long LATENESS_MS = 2 * HOUR_MS;

  /**
   * Flush records come two hours and a minute after {@code t0}: past the end of every window even
   * for a grace period of an hour (the Kafka Streams W2 baseline's), and still in the past.
   */
  static final long FLUSH_OFFSET_MS = 2 * HOUR_MS + Duration.ofMinutes(1).toMillis();

  private static final long SEED = 0x5EED_2024L;
  private static final int TARGET_BYTES = 100;
  private static final String PAD = "abcdefghijklmnopqrstuvwxyz".repeat(8);

  /** Receives generated records. */
  interface RecordSink {
    void accept(int partition, long timestamp, byte[] value);
  }

  /** Receives generated records with their Kafka record key (null unless the data set is keyed). */
  interface KeyedRecordSink {
    void accept(int partition, long timestamp, byte[] key, byte[] value);
  }

  private final int records;
  private final int keys;
  private final int partitions;
  private final boolean keyed;
  private final long t0;
  private final int keyWidth;
  private final int windows;

  private long w1Kept;
  private long w1Hash;
  private int[] w2Counts;
  private long w2Cells;
  private long w2Dropped;
  private int[] w3Counts;
  private int[] keyOf;
  private long[] timeOf;
  private java.util.BitSet late;
  private boolean generated;

  /** A data set spread round-robin over the partitions, without record keys. */
  Dataset(int records, int keys, int partitions, long t0) {
    this(records, keys, partitions, t0, false);
  }

  /**
   * A data set.
   *
   * @param keyed whether records carry their key as the Kafka record key and go to the partition
   *     Kafka's default partitioner gives it (W2K), rather than round-robin without a key
   */
  Dataset(int records, int keys, int partitions, long t0, boolean keyed) {
    if (records < 1 || keys < 1 || partitions < 1) {
      throw new IllegalArgumentException(
          "records, keys and partitions must be positive: "
              + records
              + ", "
              + keys
              + ", "
              + partitions);
    }
    this.records = records;
    this.keys = keys;
    this.partitions = partitions;
    this.keyed = keyed;
    this.t0 = t0;
    this.keyWidth = Integer.toString(Math.max(0, keys - 1)).length();
    this.windows = (int) ((MAX_DISORDER_MS + HOUR_MS) / WINDOW_MS) + 1;
  }

  /** Three hours before the start of the current hour (see the class comment). */
  static long defaultT0() {
    return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3)).toEpochMilli();
  }

  int records() {
    return records;
  }

  /** Records in the input topic. */
  int totalRecords() {
    return records;
  }

  /**
   * W2's flush records: {@value #FLUSH_KEYS} per partition (keys {@code f00..f63}) two hours and a
   * minute after {@code t0}. Written to a run's own topic once the contender has consumed the data
   * set, they advance event time in every task, so that every window of the hour closes. (Written
   * with the data set, they would overtake it: after a repartition, a task sees one upstream task's
   * flush while another upstream task is still replaying the hour.)
   */
  void flushRecords(RecordSink sink) {
    flushRecords((partition, timestamp, key, value) -> sink.accept(partition, timestamp, value));
  }

  /**
   * {@link #flushRecords(RecordSink)} with record keys: in a keyed data set each flush record
   * carries its flush key (Kafka Streams' {@code groupByKey} skips records without a key, so they
   * would not advance its stream time), though it still goes to every partition rather than its
   * key's.
   */
  void flushRecords(KeyedRecordSink sink) {
    long seq = records;
    for (int p = 0; p < partitions; p++) {
      for (int j = 0; j < FLUSH_KEYS; j++) {
        Event e =
            new Event(seq++, flushKey(j), t0 + FLUSH_OFFSET_MS + j, 100, "c5", payload(seq, j));
        byte[] key = keyed ? e.key().getBytes(StandardCharsets.UTF_8) : null;
        sink.accept(p, e.eventTime(), key, e.toLine().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  int keys() {
    return keys;
  }

  int partitions() {
    return partitions;
  }

  long t0() {
    return t0;
  }

  /** Whether records carry their key and sit in its partition (see the class comment). */
  boolean keyed() {
    return keyed;
  }

  /**
   * The partition Kafka's default partitioner gives a record key: murmur2, as the producer does.
   */
  static int partitionForKey(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /**
   * Generates every record in order and computes the expectations.
   *
   * @param sink receives each record with its partition and timestamp
   */
  void generate(RecordSink sink) {
    generate((partition, timestamp, key, value) -> sink.accept(partition, timestamp, value));
  }

  /**
   * Generates every record in order and computes the expectations.
   *
   * @param sink receives each record with its partition, timestamp and key (null unless keyed)
   */
  void generate(KeyedRecordSink sink) {
    w1Kept = 0;
    w1Hash = 0;
    w2Counts = new int[keys * windows];
    w2Cells = 0;
    w2Dropped = 0;
    w3Counts = new int[keys];
    keyOf = new int[records];
    timeOf = new long[records];
    late = new java.util.BitSet(records);
    SplittableRandom random = new SplittableRandom(SEED);
    StringBuilder keyBuilder = new StringBuilder(keyWidth + 1);
    for (int i = 0; i < records; i++) {
      int k = random.nextInt(keys);
      long disorder = random.nextInt((int) MAX_DISORDER_MS);
      long amount = random.nextInt(100_000);
      int category = random.nextInt(10);
      boolean late = i >= records / 2 && random.nextInt(1000) == 0;
      long onTime = t0 + MAX_DISORDER_MS + (long) i * HOUR_MS / records - disorder;
      long eventTime = late ? onTime - LATENESS_MS : onTime;
      Event e = new Event(i, key(keyBuilder, k), eventTime, amount, "c" + category, payload(i, k));
      emit(sink, i, e);
      w3Counts[k]++;
      keyOf[i] = k;
      timeOf[i] = eventTime;
      if (late) {
        this.late.set(i);
        w2Dropped++;
      } else {
        int cell = k * windows + (int) ((eventTime - t0) / WINDOW_MS);
        if (w2Counts[cell]++ == 0) {
          w2Cells++;
        }
      }
    }
    generated = true;
  }

  private void emit(KeyedRecordSink sink, int seq, Event e) {
    String line = e.toLine();
    if (e.keep()) {
      w1Kept++;
      w1Hash += Fnv.hash(e.enrich().getBytes(StandardCharsets.UTF_8));
    }
    byte[] key = keyed ? e.key().getBytes(StandardCharsets.UTF_8) : null;
    int partition = keyed ? partitionForKey(key, partitions) : seq % partitions;
    sink.accept(partition, e.eventTime(), key, line.getBytes(StandardCharsets.UTF_8));
  }

  /** The name of main key {@code k}, for example {@code k0042}. */
  String keyName(int k) {
    return key(new StringBuilder(keyWidth + 1), k);
  }

  private String key(StringBuilder sb, int k) {
    sb.setLength(0);
    sb.append('k');
    String digits = Integer.toString(k);
    for (int pad = keyWidth - digits.length(); pad > 0; pad--) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }

  static String flushKey(int j) {
    return j < 10 ? "f0" + j : "f" + j;
  }

  private static String payload(long seq, int salt) {
    // seq,key,time,amount,category, take about 37 bytes for 2M records; fill to about 100.
    int len = Math.max(8, TARGET_BYTES - 37);
    int from = (int) ((seq + salt) % 26);
    return PAD.substring(from, from + len);
  }

  /** Index of a key produced by this data set: 0..keys-1 for main keys, then the flush keys. */
  int keyIndex(String key) {
    if (key.length() > 1 && key.charAt(0) == 'k') {
      int k = Integer.parseInt(key, 1, key.length(), 10);
      if (k >= 0 && k < keys) {
        return k;
      }
    } else if (key.length() == 3 && key.charAt(0) == 'f') {
      int j = Integer.parseInt(key, 1, 3, 10);
      if (j >= 0 && j < FLUSH_KEYS) {
        return keys + j;
      }
    }
    return -1;
  }

  /** W1: records that pass the filter. */
  long w1Kept() {
    checkGenerated();
    return w1Kept;
  }

  /** W1: sum of the FNV-1a hashes of every expected output value. */
  long w1Hash() {
    checkGenerated();
    return w1Hash;
  }

  /** W2: windows per key in the hour (the width of a key's row in {@link #w2Count}). */
  int windows() {
    return windows;
  }

  /** W2: the count in a main key's window, 0 when the window is empty. */
  int w2Count(int key, int window) {
    checkGenerated();
    return w2Counts[key * windows + window];
  }

  /** W2: (key, window) pairs with at least one on-time record: the final results expected. */
  long w2Cells() {
    checkGenerated();
    return w2Cells;
  }

  /** W2: late records, which must not be counted. */
  long w2Dropped() {
    checkGenerated();
    return w2Dropped;
  }

  /** W3: records of a key (see {@link #keyIndex}). */
  int w3Count(int keyIndex) {
    checkGenerated();
    return w3Counts[keyIndex];
  }

  /** W6: the main key index of record {@code seq}. */
  int keyOf(int seq) {
    checkGenerated();
    return keyOf[seq];
  }

  /** W6: the event time of record {@code seq}. */
  long timeOf(int seq) {
    checkGenerated();
    return timeOf[seq];
  }

  /** W6: whether record {@code seq} is one of the two-hour-late ones. */
  boolean isLate(int seq) {
    checkGenerated();
    return late.get(seq);
  }

  private void checkGenerated() {
    if (!generated) {
      throw new IllegalStateException("generate() first");
    }
  }
}
