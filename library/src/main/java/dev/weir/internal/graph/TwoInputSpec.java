package dev.weir.internal.graph;

import dev.weir.functions.BroadcastProcessFunction;
import dev.weir.functions.CoFlatMapFunction;
import dev.weir.functions.CoMapFunction;
import dev.weir.functions.CoProcessFunction;
import dev.weir.functions.KeyedBroadcastProcessFunction;
import dev.weir.functions.KeyedCoProcessFunction;
import dev.weir.state.MapStateDescriptor;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * What a two-input operator does, as the API call described it: the user's function objects and
 * options, nothing executable (the two-input counterpart of {@link OperatorSpec}). The translator
 * ({@code dev.weir.internal.task.Translator}) turns it into a two-input operator factory. Not
 * sealed: joins and broadcast inputs add their own records, each with a case in the translator.
 * Implementations are immutable; their functions are copied per task when the operator is created.
 */
public interface TwoInputSpec {

  /** Whether the operator keeps task state even on non-keyed inputs (broadcast state). */
  default boolean needsStore() {
    return false;
  }

  /**
   * Whether the second input is a broadcast input: every task reads every partition of its topic,
   * its position is kept in the operator's store, and it does not count toward the watermark.
   */
  default boolean broadcastsSecondInput() {
    return false;
  }

  /**
   * {@code connect(broadcastStream).process(BroadcastProcessFunction)} on a non-keyed stream.
   *
   * @param function the user's function
   * @param descriptors the broadcast states the broadcast stream declared
   */
  record BroadcastProcessSpec(
      BroadcastProcessFunction<?, ?, ?> function, List<MapStateDescriptor<?, ?>> descriptors)
      implements TwoInputSpec {
    /** Checks the function is present and copies the descriptors. */
    public BroadcastProcessSpec {
      Objects.requireNonNull(function, "function");
      descriptors = List.copyOf(descriptors);
    }

    @Override
    public boolean needsStore() {
      return true;
    }

    @Override
    public boolean broadcastsSecondInput() {
      return true;
    }
  }

  /**
   * {@code keyed.connect(broadcastStream).process(KeyedBroadcastProcessFunction)}.
   *
   * @param function the user's function
   * @param keySerde the keyed input's key serde
   * @param descriptors the broadcast states the broadcast stream declared
   */
  record KeyedBroadcastProcessSpec(
      KeyedBroadcastProcessFunction<?, ?, ?, ?> function,
      Serde<?> keySerde,
      List<MapStateDescriptor<?, ?>> descriptors)
      implements TwoInputSpec {
    /** Checks the function and serde are present and copies the descriptors. */
    public KeyedBroadcastProcessSpec {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(keySerde, "keySerde");
      descriptors = List.copyOf(descriptors);
    }

    @Override
    public boolean needsStore() {
      return true;
    }

    @Override
    public boolean broadcastsSecondInput() {
      return true;
    }
  }

  /** {@code connect(...).map(CoMapFunction)}. */
  record CoMapSpec(CoMapFunction<?, ?, ?> function) implements TwoInputSpec {
    /** Checks the function is present. */
    public CoMapSpec {
      Objects.requireNonNull(function, "function");
    }
  }

  /** {@code connect(...).flatMap(CoFlatMapFunction)}. */
  record CoFlatMapSpec(CoFlatMapFunction<?, ?, ?> function) implements TwoInputSpec {
    /** Checks the function is present. */
    public CoFlatMapSpec {
      Objects.requireNonNull(function, "function");
    }
  }

  /** {@code connect(...).process(CoProcessFunction)}. */
  record CoProcessSpec(CoProcessFunction<?, ?, ?> function) implements TwoInputSpec {
    /** Checks the function is present. */
    public CoProcessSpec {
      Objects.requireNonNull(function, "function");
    }
  }

  /**
   * {@code connect(...).process(KeyedCoProcessFunction)} on two keyed inputs.
   *
   * @param function the user's function
   * @param keySerde the key serde both inputs share
   */
  record KeyedCoProcessSpec(KeyedCoProcessFunction<?, ?, ?, ?> function, Serde<?> keySerde)
      implements TwoInputSpec {
    /** Checks the function and serde are present. */
    public KeyedCoProcessSpec {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(keySerde, "keySerde");
    }
  }
}
