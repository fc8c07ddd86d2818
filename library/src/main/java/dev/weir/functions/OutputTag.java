package dev.weir.functions;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Names a side output: a second, typed stream that a process function can emit to next to its main
 * output (late records, errors, alerts).
 *
 * <pre>{@code
 * OutputTag<String> rejected = OutputTag.of("rejected", Serdes.String());
 * SingleOutputStreamOperator<Order> valid = orders.process(new Validate(rejected));
 * valid.getSideOutput(rejected).sinkTo(KafkaSink.topic("orders-rejected", Serdes.String()));
 * }</pre>
 *
 * <p>Two tags are equal when their names are equal. The serde is needed only when the side output
 * crosses a topic (a keyBy or a sink without its own serde).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the type of the side output's records
 * @serial exclude
 */
public final class OutputTag<T> implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final transient Serde<T> serde;

  private OutputTag(String name, Serde<T> serde) {
    if (Objects.requireNonNull(name, "name").isBlank()) {
      throw new IllegalArgumentException("An OutputTag needs a non-blank name");
    }
    this.name = name;
    this.serde = serde;
  }

  /**
   * Creates a tag without a serde.
   *
   * @param name the side output's name, unique within the operator
   * @param <T> the record type
   * @return the tag
   */
  public static <T> OutputTag<T> of(String name) {
    return new OutputTag<>(name, null);
  }

  /**
   * Creates a tag whose records are serialised with {@code serde} where they cross a topic.
   *
   * @param name the side output's name, unique within the operator
   * @param serde the records' serde
   * @param <T> the record type
   * @return the tag
   */
  public static <T> OutputTag<T> of(String name, Serde<T> serde) {
    return new OutputTag<>(name, Objects.requireNonNull(serde, "serde"));
  }

  /**
   * Returns the tag's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the serde given at creation, which the side output's stream uses where it crosses a
   * topic.
   *
   * @return the serde, or null when the tag was created without one
   */
  public Serde<T> serde() {
    return serde;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputTag<?> other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "OutputTag(" + name + ")";
  }
}
