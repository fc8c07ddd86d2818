package dev.weir.stream;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Options for the internal repartition topic behind a {@code keyBy}: its name (part of the topic
 * name {@code <application.id>-<name>-repartition}, keep it stable across releases), its partition
 * count (the downstream parallelism; fixed once created) and the records' serde.
 *
 * <pre>{@code
 * orders.keyBy(Order::customerId, Serdes.String(),
 *     Repartition.<Order>named("orders-by-customer").withPartitions(12).withValueSerde(orderSerde));
 * }</pre>
 *
 * <p>Instances are immutable values: every {@code with*} method returns a copy that keeps the other
 * settings, so the calls can come in any order. Thread-safe.
 *
 * @param <T> the record type
 */
public final class Repartition<T> {
  private final String name;
  private final int partitions;
  private final Serde<T> valueSerde;

  private Repartition(String name, int partitions, Serde<T> valueSerde) {
    this.name = name;
    this.partitions = partitions;
    this.valueSerde = valueSerde;
  }

  /**
   * Default options: a name derived from the upstream operator, as many partitions as upstream
   * tasks, the stream's serde.
   *
   * @param <T> record type
   * @return the options
   */
  public static <T> Repartition<T> auto() {
    return new Repartition<>(null, 0, null);
  }

  /**
   * Options with a stable name.
   *
   * @param name the exchange's name; letters, digits, '.', '_' and '-'
   * @param <T> record type
   * @return the options
   */
  public static <T> Repartition<T> named(String name) {
    if (!Objects.requireNonNull(name, "name").matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "Repartition name '" + name + "' may contain only letters, digits, '.', '_' and '-'");
    }
    return new Repartition<>(name, 0, null);
  }

  /**
   * Returns a copy with a fixed partition count.
   *
   * @param partitions the partition count, at least 1
   * @return the new options; these are unchanged
   * @throws IllegalArgumentException when {@code partitions} is below 1
   */
  public Repartition<T> withPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    return new Repartition<>(name, partitions, valueSerde);
  }

  /**
   * Returns a copy that serialises records with {@code serde}.
   *
   * @param serde the serde
   * @return the new options; these are unchanged
   * @throws NullPointerException when {@code serde} is null
   */
  public Repartition<T> withValueSerde(Serde<T> serde) {
    return new Repartition<>(name, partitions, Objects.requireNonNull(serde, "serde"));
  }

  /** The exchange's name, or null for a derived one; read by {@link DataStream}. */
  String name() {
    return name;
  }

  /** The partition count, or 0 for the upstream task count; read by {@link DataStream}. */
  int partitions() {
    return partitions;
  }

  /** The records' serde, or null for the stream's own; read by {@link DataStream}. */
  Serde<T> valueSerde() {
    return valueSerde;
  }
}
