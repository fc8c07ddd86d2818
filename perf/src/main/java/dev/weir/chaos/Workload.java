package dev.weir.chaos;

/**
 * The chaos suite's input, a pure function of a seed: record {@code seq} (0 to {@code records - 1})
 * has a key, an input partition, an event-time offset and a value, and nothing else decides them.
 *
 * <p>Keys are skewed (key {@code k0} is the hottest) so that some keys carry long histories. Every
 * key lives on one fixed input partition ({@code keyIndex % partitions}) and the generator writes
 * records in {@code seq} order, so the order of one key's records is defined: the expected running
 * count of a record is its rank among its key's records in {@code seq} order.
 *
 * <p>Value format: {@code "<key>:<seq>"}. Event time: {@code seq * 2 ms} minus a jitter of up to
 * one second (out of order within one second), relative to a base the run chooses.
 *
 * <p>Immutable and thread-safe.
 */
public final class Workload {
  /** Largest out-of-orderness of event timestamps, in milliseconds. */
  public static final long MAX_JITTER_MS = 1_000;

  private final long seed;
  private final int records;
  private final int keys;
  private final int partitions;

  /**
   * Describes a workload.
   *
   * @param seed the seed every choice derives from
   * @param records number of input records, at least 1
   * @param keys number of distinct keys, at least 1
   * @param partitions number of input partitions, at least 1
   */
  public Workload(long seed, int records, int keys, int partitions) {
    if (records < 1 || keys < 1 || partitions < 1) {
      throw new IllegalArgumentException(
          "records, keys and partitions must be positive: "
              + records
              + ", "
              + keys
              + ", "
              + partitions);
    }
    this.seed = seed;
    this.records = records;
    this.keys = keys;
    this.partitions = partitions;
  }

  public long seed() {
    return seed;
  }

  public int records() {
    return records;
  }

  public int keys() {
    return keys;
  }

  public int partitions() {
    return partitions;
  }

  /** Index of the key of record {@code seq}, in {@code [0, keys)}; skewed towards 0. */
  public int keyIndex(int seq) {
    double u = unit(mix(seed ^ (seq * 0x9E3779B97F4A7C15L)));
    return Math.min(keys - 1, (int) (u * u * keys));
  }

  /** The key of record {@code seq}. */
  public String key(int seq) {
    return keyName(keyIndex(seq));
  }

  /** The name of key number {@code index}. */
  public static String keyName(int index) {
    return "k" + index;
  }

  /** The input partition of record {@code seq}: fixed per key. */
  public int partition(int seq) {
    return keyIndex(seq) % partitions;
  }

  /** The input value of record {@code seq}. */
  public String value(int seq) {
    return key(seq) + ":" + seq;
  }

  /** Event time of record {@code seq} relative to the run's base time, in milliseconds (>= 0). */
  public long eventTimeOffsetMs(int seq) {
    long jitter = (long) (unit(mix(~seed ^ (seq * 0xC2B2AE3D27D4EB4FL))) * MAX_JITTER_MS);
    return MAX_JITTER_MS + seq * 2L - jitter;
  }

  /** Largest event-time offset of any record (and smaller than every sentinel's). */
  public long maxEventTimeOffsetMs() {
    return MAX_JITTER_MS + 2L * (records - 1);
  }

  /**
   * The key of the end-of-input sentinel written to input partition {@code p} after all records.
   * Sentinels carry an event time far past every record, so every task's watermark passes every
   * window; outputs with a key starting with {@code ~} are not records and are not verified.
   */
  public static String sentinelKey(int partition) {
    return "~end" + partition;
  }

  /** Event time of the sentinels: 10 windows past the last record (within a broker's limits). */
  public long sentinelTimeOffsetMs(long windowMs) {
    return maxEventTimeOffsetMs() + 10 * windowMs;
  }

  /**
   * Computes each record's expected running count: its 1-based rank among the records of its key,
   * in {@code seq} order. Independent of Weir: a plain loop over the generator.
   *
   * @return an array indexed by {@code seq}
   */
  public int[] runningCounts() {
    int[] perKey = new int[keys];
    int[] rank = new int[records];
    for (int seq = 0; seq < records; seq++) {
      rank[seq] = ++perKey[keyIndex(seq)];
    }
    return rank;
  }

  @Override
  public String toString() {
    return "Workload[seed="
        + seed
        + ", records="
        + records
        + ", keys="
        + keys
        + ", partitions="
        + partitions
        + "]";
  }

  /** SplitMix64's finalizer: a bijective 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Top 53 bits as a double in [0, 1). */
  private static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
