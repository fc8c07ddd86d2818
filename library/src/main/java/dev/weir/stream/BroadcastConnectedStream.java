package dev.weir.stream;

import dev.weir.functions.BroadcastProcessFunction;
import dev.weir.functions.KeyedBroadcastProcessFunction;
import dev.weir.internal.graph.TwoInputSpec;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A stream connected with a broadcast stream, to be processed by a {@link BroadcastProcessFunction}
 * (non-keyed stream) or a {@link KeyedBroadcastProcessFunction} (keyed stream). The broadcast side
 * writes the broadcast state, the other side reads it only.
 *
 * @param <I1> the non-broadcast input's type
 * @param <I2> the broadcast input's type
 */
public final class BroadcastConnectedStream<I1, I2> {
  private final DataStream<I1> first;
  private final BroadcastStream<I2> broadcast;

  BroadcastConnectedStream(DataStream<I1> first, BroadcastStream<I2> broadcast) {
    this.first = first;
    this.broadcast = broadcast;
  }

  /**
   * Processes a non-keyed stream with the broadcast stream. The operator keeps the broadcast state
   * in a store: give it a stable {@code uid(...)}.
   *
   * @param function the function; copied per task
   * @param <R> output type
   * @return the resulting stream
   * @throws IllegalStateException when the first input is keyed (use {@link
   *     #process(KeyedBroadcastProcessFunction)})
   */
  public <R> SingleOutputStreamOperator<R> process(BroadcastProcessFunction<I1, I2, R> function) {
    Objects.requireNonNull(function, "function");
    if (first instanceof KeyedStream<?, ?>) {
      throw new IllegalStateException(
          "'"
              + first.transformation.name()
              + "' is keyed: process it with a KeyedBroadcastProcessFunction, or connect the"
              + " stream before keyBy(...)");
    }
    return first.addTwoInputOperator(
        broadcast.stream,
        "broadcast-process",
        new TwoInputSpec.BroadcastProcessSpec(function, broadcast.descriptors),
        false);
  }

  /**
   * Processes a keyed stream with the broadcast stream: keyed state and timers on the keyed side,
   * broadcast state on both. Give the operator a stable {@code uid(...)}.
   *
   * @param function the function; copied per task
   * @param <K> key type, the keyed stream's
   * @param <R> output type
   * @return the resulting stream
   * @throws IllegalStateException when the first input is not keyed
   */
  public <K, R> SingleOutputStreamOperator<R> process(
      KeyedBroadcastProcessFunction<K, I1, I2, R> function) {
    Objects.requireNonNull(function, "function");
    if (!(first instanceof KeyedStream<?, ?> keyed)) {
      throw new IllegalStateException(
          "process(KeyedBroadcastProcessFunction) needs a keyed stream, but '"
              + first.transformation.name()
              + "' is not keyed: keyBy(...) it before connect(...), or use a"
              + " BroadcastProcessFunction.");
    }
    Serde<?> keySerde = keyed.keySerde();
    return first.addTwoInputOperator(
        broadcast.stream,
        "broadcast-process",
        new TwoInputSpec.KeyedBroadcastProcessSpec(function, keySerde, broadcast.descriptors),
        true);
  }
}
