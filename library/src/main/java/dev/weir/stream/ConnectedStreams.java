package dev.weir.stream;

import dev.weir.functions.CoFlatMapFunction;
import dev.weir.functions.CoMapFunction;
import dev.weir.functions.CoProcessFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.KeyedCoProcessFunction;
import dev.weir.functions.RichFunction;
import dev.weir.internal.graph.TwoInputSpec;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Two streams, possibly of different types, connected for one two-input operator: {@link #map},
 * {@link #flatMap} and {@link #process} get the records of the first stream and of the second
 * through separate methods, as soon as each arrives, and keep state shared by both. Made by {@link
 * DataStream#connect}.
 *
 * <p>Both inputs run on the same tasks (task {@code p} reads partition {@code p} of each input), so
 * their topics need equal partition counts. When both are {@link KeyedStream}s (or after {@link
 * #keyBy}) equal keys of both inputs reach the same task, and the operator has keyed state and
 * timers shared by both inputs; then the inputs must be co-partitioned: the same key type and serde
 * and the same partition count, checked when the topology is built (serdes, configured partition
 * counts) and at start (the topics' partition counts), with an error naming both inputs.
 *
 * <p>The operator's event-time watermark is the minimum of its inputs' watermarks; an input that is
 * idle (quiet and caught up) does not hold it back.
 *
 * <p>Not thread-safe: build a pipeline on one thread.
 *
 * @param <I1> the first input's type
 * @param <I2> the second input's type
 */
public final class ConnectedStreams<I1, I2> {
  private final DataStream<I1> first;
  private final DataStream<I2> second;

  ConnectedStreams(DataStream<I1> first, DataStream<I2> second) {
    this.first = first;
    this.second = second;
  }

  /**
   * Returns the first input.
   *
   * @return the stream whose records reach {@code map1}, {@code flatMap1}, {@code processElement1}
   */
  public DataStream<I1> getFirstInput() {
    return first;
  }

  /**
   * Returns the second input.
   *
   * @return the stream whose records reach {@code map2}, {@code flatMap2}, {@code processElement2}
   */
  public DataStream<I2> getSecondInput() {
    return second;
  }

  /**
   * Keys both inputs by keys of the same type, so that equal keys of both reach the same task: both
   * are written to repartition topics partitioned by {@code keySerde}'s bytes, with equal partition
   * counts.
   *
   * @param key1 extracts the key of a record of the first input; must be deterministic
   * @param key2 extracts the key of a record of the second input; must be deterministic
   * @param keySerde the keys' serde, shared by both inputs
   * @param <K> key type
   * @return the connected keyed streams
   */
  public <K> ConnectedStreams<I1, I2> keyBy(
      KeySelector<? super I1, ? extends K> key1,
      KeySelector<? super I2, ? extends K> key2,
      Serde<K> keySerde) {
    Objects.requireNonNull(key1, "key1");
    Objects.requireNonNull(key2, "key2");
    Objects.requireNonNull(keySerde, "keySerde");
    return new ConnectedStreams<>(first.keyBy(key1, keySerde), second.keyBy(key2, keySerde));
  }

  /** Whether both inputs are keyed streams. */
  boolean keyed() {
    return first instanceof KeyedStream<?, ?> && second instanceof KeyedStream<?, ?>;
  }

  /**
   * Applies a {@link CoMapFunction}: one output per record of either input. On keyed inputs a
   * {@link RichFunction} gets keyed state shared by both.
   *
   * @param mapper the function; copied per task
   * @param <R> output type
   * @return the resulting stream
   */
  public <R> SingleOutputStreamOperator<R> map(CoMapFunction<I1, I2, R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return first.addTwoInputOperator(
        second,
        "co-map",
        new TwoInputSpec.CoMapSpec(mapper),
        keyed() && mapper instanceof RichFunction);
  }

  /**
   * Applies a {@link CoFlatMapFunction}: any number of outputs per record of either input. On keyed
   * inputs a {@link RichFunction} gets keyed state shared by both.
   *
   * @param mapper the function; copied per task
   * @param <R> output type
   * @return the resulting stream
   */
  public <R> SingleOutputStreamOperator<R> flatMap(CoFlatMapFunction<I1, I2, R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return first.addTwoInputOperator(
        second,
        "co-flatMap",
        new TwoInputSpec.CoFlatMapSpec(mapper),
        keyed() && mapper instanceof RichFunction);
  }

  /**
   * Applies a {@link CoProcessFunction}: per-record access to timestamp, clocks and side outputs
   * for both inputs. On keyed inputs the function gets keyed state shared by both; for timers use
   * {@link #process(KeyedCoProcessFunction)}.
   *
   * @param function the function; copied per task
   * @param <R> output type
   * @return the resulting stream; side outputs via {@link SingleOutputStreamOperator#getSideOutput}
   */
  public <R> SingleOutputStreamOperator<R> process(CoProcessFunction<I1, I2, R> function) {
    Objects.requireNonNull(function, "function");
    return first.addTwoInputOperator(
        second, "co-process", new TwoInputSpec.CoProcessSpec(function), keyed());
  }

  /**
   * Applies a {@link KeyedCoProcessFunction} to two keyed inputs: keyed state and event- and
   * processing-time timers of the current key, shared by both inputs. Give the operator a stable
   * {@code uid(...)}: its store is named after it.
   *
   * @param function the function; copied per task
   * @param <K> key type, the key type of both inputs
   * @param <R> output type
   * @return the resulting stream; side outputs via {@link SingleOutputStreamOperator#getSideOutput}
   * @throws IllegalStateException naming the input when either input is not a keyed stream (the
   *     inputs' key serdes and partition counts are checked by {@link StreamBuilder#build()})
   */
  public <K, R> SingleOutputStreamOperator<R> process(
      KeyedCoProcessFunction<K, I1, I2, R> function) {
    Objects.requireNonNull(function, "function");
    DataStream<?> unkeyed = first instanceof KeyedStream<?, ?> ? second : first;
    if (!keyed()) {
      throw new IllegalStateException(
          "process(KeyedCoProcessFunction) needs two keyed streams, but the "
              + (unkeyed == first ? "first" : "second")
              + " input '"
              + unkeyed.transformation.name()
              + "' is not keyed: keyBy(...) both inputs with the same key type, call"
              + " connect(...).keyBy(key1, key2, keySerde), or use process(CoProcessFunction).");
    }
    Serde<?> keySerde = ((KeyedStream<?, ?>) first).keySerde();
    return first.addTwoInputOperator(
        second, "co-process", new TwoInputSpec.KeyedCoProcessSpec(function, keySerde), true);
  }
}
