package dev.weir.eventtime;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a source assigns event timestamps and generates watermarks. Set it on the source with {@code
 * StreamBuilder.fromSource(source, strategy, name)}; each source partition gets its own generator,
 * and a task's watermark is the minimum over its active input partitions.
 *
 * <pre>{@code
 * WatermarkStrategy<Reading> strategy =
 *     WatermarkStrategy.<Reading>forBoundedOutOfOrderness(Duration.ofSeconds(5))
 *         .withTimestampAssigner((reading, kafkaTimestamp) -> reading.eventTime())
 *         .withIdleness(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Immutable; each {@code with...} returns a new strategy.
 *
 * @param <T> the records' type
 */
public final class WatermarkStrategy<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final WatermarkGeneratorSupplier<T> generator;
  private final TimestampAssigner<T> timestampAssigner;
  private final Duration idleness;

  private WatermarkStrategy(
      WatermarkGeneratorSupplier<T> generator,
      TimestampAssigner<T> timestampAssigner,
      Duration idleness) {
    this.generator = generator;
    this.timestampAssigner = timestampAssigner;
    this.idleness = idleness;
  }

  /**
   * Watermarks that trail the largest timestamp by {@code maxOutOfOrderness}.
   *
   * @param maxOutOfOrderness how late (behind the largest timestamp) a record may be and still be
   *     on time
   * @param <T> the records' type
   * @return the strategy
   */
  public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
    Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
    long millis = maxOutOfOrderness.toMillis();
    return forGenerator(() -> new BoundedOutOfOrdernessWatermarks<>(Duration.ofMillis(millis)));
  }

  /**
   * Watermarks for timestamps that never decrease within a partition: the watermark is the largest
   * timestamp minus one.
   *
   * @param <T> the records' type
   * @return the strategy
   */
  public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
    return forBoundedOutOfOrderness(Duration.ZERO);
  }

  /**
   * No watermarks: event time never advances, so event-time timers and windows never fire. For
   * pipelines that do not use event time (this is a source's default).
   *
   * @param <T> the records' type
   * @return the strategy
   */
  public static <T> WatermarkStrategy<T> noWatermarks() {
    return new WatermarkStrategy<>(null, null, null);
  }

  /**
   * A custom generator (periodic, punctuated, or both).
   *
   * @param generator creates a generator per partition
   * @param <T> the records' type
   * @return the strategy
   */
  public static <T> WatermarkStrategy<T> forGenerator(WatermarkGeneratorSupplier<T> generator) {
    return new WatermarkStrategy<>(Objects.requireNonNull(generator, "generator"), null, null);
  }

  /**
   * Uses {@code assigner} for event timestamps instead of the Kafka record timestamps.
   *
   * @param assigner extracts the timestamp; deterministic
   * @return a new strategy
   */
  public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> assigner) {
    return new WatermarkStrategy<>(
        generator, Objects.requireNonNull(assigner, "assigner"), idleness);
  }

  /**
   * Marks a partition idle when it produced nothing for {@code timeout} <em>and</em> its consumer
   * is at the end of the partition, so that an empty partition does not hold the watermark back. A
   * partition with a backlog is never idle, so catching up never turns records late.
   *
   * @param timeout processing time without records; positive
   * @return a new strategy
   */
  public WatermarkStrategy<T> withIdleness(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("Idleness timeout must be positive: " + timeout);
    }
    return new WatermarkStrategy<>(generator, timestampAssigner, timeout);
  }

  /**
   * Returns whether this strategy generates watermarks.
   *
   * @return false for {@link #noWatermarks()}
   */
  public boolean generatesWatermarks() {
    return generator != null;
  }

  /**
   * Returns the generator supplier.
   *
   * @return the supplier, or null for {@link #noWatermarks()}
   */
  public WatermarkGeneratorSupplier<T> generatorSupplier() {
    return generator;
  }

  /**
   * Returns the timestamp assigner.
   *
   * @return the assigner, or null to use the Kafka record timestamp
   */
  public TimestampAssigner<T> timestampAssigner() {
    return timestampAssigner;
  }

  /**
   * Returns the idleness timeout.
   *
   * @return the timeout, or null when partitions never become idle
   */
  public Duration idleness() {
    return idleness;
  }
}
