package dev.weir.stream;

import dev.weir.functions.OutputTag;
import dev.weir.internal.graph.SideOutputTransformation;
import dev.weir.internal.graph.Transformation;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * The stream produced by an operator; lets the operator be named, given a stable uid, told its
 * output serde, and asked for its side outputs.
 *
 * @param <T> record type
 */
public final class SingleOutputStreamOperator<T> extends DataStream<T> {
  SingleOutputStreamOperator(StreamBuilder builder, Transformation<T> transformation) {
    super(builder, transformation);
  }

  /**
   * Names the operator (metrics, logs, error messages, {@code describe()}). Also its uid unless
   * {@link #uid} is set.
   *
   * @param name the name
   * @return this
   */
  public SingleOutputStreamOperator<T> name(String name) {
    transformation.setName(Objects.requireNonNull(name, "name"));
    return this;
  }

  /**
   * Sets the operator's stable identity: it names the operator's state stores, changelog topics and
   * the repartition topics that follow it. Set it on every stateful operator and keep it across
   * releases.
   *
   * @param uid letters, digits, '.', '_' and '-'
   * @return this
   */
  public SingleOutputStreamOperator<T> uid(String uid) {
    if (!Objects.requireNonNull(uid, "uid").matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "uid '" + uid + "' may contain only letters, digits, '.', '_' and '-'");
    }
    transformation.setUid(uid);
    return this;
  }

  /**
   * Declares the serde of this operator's output, needed where the stream crosses a topic (keyBy,
   * rebalance) and the output type cannot be inferred. Flink's {@code returns(...)}.
   *
   * @param serde the output records' serde
   * @return this
   */
  public SingleOutputStreamOperator<T> returns(Serde<T> serde) {
    transformation.setSerde(Objects.requireNonNull(serde, "serde"));
    return this;
  }

  /**
   * Returns the records this operator emitted to side output {@code tag}.
   *
   * @param tag the side output
   * @param <X> its type
   * @return the side output stream
   */
  public <X> DataStream<X> getSideOutput(OutputTag<X> tag) {
    Objects.requireNonNull(tag, "tag");
    SideOutputTransformation<X> t =
        builder.add(
            new SideOutputTransformation<>(
                builder.nextId(), transformation, tag.name(), tag.serde()));
    return new DataStream<>(builder, t);
  }

  /** Sets the serde without the checks of {@link #returns} (for operators that know it). */
  SingleOutputStreamOperator<T> withSerde(Serde<T> serde) {
    transformation.setSerde(serde);
    return this;
  }
}
