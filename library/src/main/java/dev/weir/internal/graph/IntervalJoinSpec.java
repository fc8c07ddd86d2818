package dev.weir.internal.graph;

import dev.weir.functions.ProcessJoinFunction;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * {@code keyedA.intervalJoin(keyedB).between(lower, upper).process(ProcessJoinFunction)}.
 *
 * @param function the user's function
 * @param lower the lower bound in milliseconds, inclusive (an exclusive bound already moved in by
 *     one)
 * @param upper the upper bound in milliseconds, inclusive
 * @param keySerde the key serde both inputs share
 * @param leftSerde the left records' serde (they are buffered in state)
 * @param rightSerde the right records' serde
 * @param leftLateTag the name of the late left records' side output, or null to drop and count them
 * @param rightLateTag the name of the late right records' side output, or null
 */
public record IntervalJoinSpec(
    ProcessJoinFunction<?, ?, ?> function,
    long lower,
    long upper,
    Serde<?> keySerde,
    Serde<?> leftSerde,
    Serde<?> rightSerde,
    String leftLateTag,
    String rightLateTag)
    implements TwoInputSpec {
  /** Checks the parts are present and the bounds leave room for a pair. */
  public IntervalJoinSpec {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(leftSerde, "leftSerde");
    Objects.requireNonNull(rightSerde, "rightSerde");
    if (lower > upper) {
      throw new IllegalArgumentException(
          "Interval join bounds leave no room: lower "
              + lower
              + " ms > upper "
              + upper
              + " ms once exclusive bounds are made inclusive");
    }
  }
}
