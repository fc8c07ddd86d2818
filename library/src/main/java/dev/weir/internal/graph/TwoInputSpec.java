package dev.weir.internal.graph;

import dev.weir.functions.CoFlatMapFunction;
import dev.weir.functions.CoMapFunction;
import dev.weir.functions.CoProcessFunction;
import dev.weir.functions.KeyedCoProcessFunction;
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
