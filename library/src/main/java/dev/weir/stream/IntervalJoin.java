package dev.weir.stream;

import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.internal.graph.IntervalJoinSpec;
import dev.weir.internal.graph.Plan;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * An interval join of two keyed streams, started by {@link KeyedStream#intervalJoin}: set the
 * bounds with {@link #between}.
 *
 * <p>A left record at {@code l} joins every right record of the same key at {@code r} with {@code l
 * + lower <= r <= l + upper}: both bounds inclusive by default, either may be made exclusive,
 * either may be negative ({@code between(-2 s, -1 s)} joins right records one to two seconds before
 * the left one). The join is inner and in event time; each pair is passed once to the {@link
 * ProcessJoinFunction}, whatever order the two records arrive in, and what it emits is timestamped
 * {@code max(l, r)}.
 *
 * <p>Both inputs run on the same tasks, so they must be keyed alike: the same key type (checked by
 * the compiler), the same key serde and co-partitioned topics (checked when the topology is built
 * and when it starts). Records are buffered per key and timestamp in the operator's store until the
 * watermark shows that no partner can still arrive; a record at or below the watermark when it
 * arrives is late and goes to the late-data side output (or is dropped and counted in {@code
 * late-records-dropped} when none is set).
 *
 * @param <T1> left record type
 * @param <T2> right record type
 * @param <K> key type
 */
public final class IntervalJoin<T1, T2, K> {
  private final KeyedStream<T1, K> left;
  private final KeyedStream<T2, K> right;

  IntervalJoin(KeyedStream<T1, K> left, KeyedStream<T2, K> right) {
    if (left.builder != right.builder) {
      throw new IllegalArgumentException(
          "intervalJoin: '"
              + left.transformation.name()
              + "' and '"
              + right.transformation.name()
              + "' come from different StreamBuilders; build both inputs with one");
    }
    this.left = left;
    this.right = right;
  }

  /**
   * Sets the bounds of the right record's timestamp relative to the left's, both inclusive.
   *
   * @param lowerBound the lower bound; may be negative
   * @param upperBound the upper bound; may be negative; not below {@code lowerBound}
   * @return the bounded join, to refine and process
   * @throws IllegalArgumentException when {@code lowerBound > upperBound}
   */
  public IntervalJoined<T1, T2, K> between(Duration lowerBound, Duration upperBound) {
    long lower = Objects.requireNonNull(lowerBound, "lowerBound").toMillis();
    long upper = Objects.requireNonNull(upperBound, "upperBound").toMillis();
    if (lower > upper) {
      throw new IllegalArgumentException(
          "intervalJoin of '"
              + left.transformation.name()
              + "' and '"
              + right.transformation.name()
              + "': lower bound "
              + lowerBound
              + " is above upper bound "
              + upperBound
              + "; swap them");
    }
    return new IntervalJoined<>(left, right, lower, upper);
  }

  /**
   * An interval join with its bounds: make bounds exclusive, route late data, then {@link
   * #process}. The setters change this object and return it. Not thread-safe.
   *
   * @param <T1> left record type
   * @param <T2> right record type
   * @param <K> key type
   */
  public static final class IntervalJoined<T1, T2, K> {
    private final KeyedStream<T1, K> left;
    private final KeyedStream<T2, K> right;
    private final long lower;
    private final long upper;
    private boolean lowerExclusive;
    private boolean upperExclusive;
    private OutputTag<T1> leftLate;
    private OutputTag<T2> rightLate;

    IntervalJoined(KeyedStream<T1, K> left, KeyedStream<T2, K> right, long lower, long upper) {
      this.left = left;
      this.right = right;
      this.lower = lower;
      this.upper = upper;
    }

    /**
     * Excludes the lower bound: {@code r > l + lower}.
     *
     * @return this
     */
    public IntervalJoined<T1, T2, K> lowerBoundExclusive() {
      this.lowerExclusive = true;
      return this;
    }

    /**
     * Excludes the upper bound: {@code r < l + upper}.
     *
     * @return this
     */
    public IntervalJoined<T1, T2, K> upperBoundExclusive() {
      this.upperExclusive = true;
      return this;
    }

    /**
     * Sends left records that arrive late (at or below the watermark) to a side output instead of
     * dropping them. Read it with {@link SingleOutputStreamOperator#getSideOutput} on the join's
     * result.
     *
     * @param tag the side output
     * @return this
     */
    public IntervalJoined<T1, T2, K> sideOutputLeftLateData(OutputTag<T1> tag) {
      this.leftLate = Objects.requireNonNull(tag, "tag");
      return this;
    }

    /**
     * Sends right records that arrive late to a side output instead of dropping them.
     *
     * @param tag the side output
     * @return this
     */
    public IntervalJoined<T1, T2, K> sideOutputRightLateData(OutputTag<T2> tag) {
      this.rightLate = Objects.requireNonNull(tag, "tag");
      return this;
    }

    /**
     * Calls {@code function} once per joined pair.
     *
     * @param function the join function; copied per task
     * @param <R> output type
     * @return the joined stream; give it a {@code uid(...)}: it names the join's store
     * @throws IllegalArgumentException when the exclusive bounds leave no room for a pair
     * @throws IllegalStateException when either input's serde is unknown (records are buffered in
     *     state)
     */
    public <R> SingleOutputStreamOperator<R> process(ProcessJoinFunction<T1, T2, R> function) {
      Objects.requireNonNull(function, "function");
      long lo = lowerExclusive ? lower + 1 : lower;
      long hi = upperExclusive ? upper - 1 : upper;
      if (lo > hi) {
        throw new IllegalArgumentException(
            "intervalJoin of '"
                + left.transformation.name()
                + "' and '"
                + right.transformation.name()
                + "': with exclusive bounds no timestamp difference lies between "
                + lower
                + " ms and "
                + upper
                + " ms; widen the bounds or make them inclusive");
      }
      return left.addTwoInputOperator(
          right,
          "interval-join",
          new IntervalJoinSpec(
              function,
              lo,
              hi,
              left.keySerde(),
              serdeOf(left, "left"),
              serdeOf(right, "right"),
              leftLate == null ? null : leftLate.name(),
              rightLate == null ? null : rightLate.name()),
          true);
    }

    private static <T> Serde<T> serdeOf(DataStream<T> input, String which) {
      Serde<T> s = Plan.effectiveSerde(input.transformation);
      if (s == null) {
        throw new IllegalStateException(
            "intervalJoin buffers the records of its "
                + which
                + " input '"
                + input.transformation.name()
                + "' in state, but Weir does not know their serde: call .returns(serde) before"
                + " keyBy(...) or pass Repartition.named(...).withValueSerde(serde)");
      }
      return s;
    }
  }
}
