package dev.weir.stream;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.ReduceFunction;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.RollingFunctions;
import dev.weir.internal.task.WindowFunctions;
import dev.weir.internal.task.WindowOperator;
import dev.weir.windowing.Evictor;
import dev.weir.windowing.MergingWindowAssigner;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.Trigger;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowAssigner;
import dev.weir.windowing.WindowFunction;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A keyed stream cut into windows: configure the trigger, evictor and lateness, then apply a window
 * function. Results are timestamped with the window's max timestamp ({@code end - 1}).
 *
 * <pre>{@code
 * readings.keyBy(Reading::sensor, Serdes.String())
 *     .window(TumblingEventTimeWindows.of(Duration.ofSeconds(5)))
 *     .allowedLateness(Duration.ofSeconds(10))
 *     .sideOutputLateData(lateTag)
 *     .aggregate(new Average(), averageSerde)
 *     .uid("avg-per-sensor");
 * }</pre>
 *
 * @param <T> record type
 * @param <K> key type
 * @param <W> window type
 */
public final class WindowedStream<T, K, W extends Window> {
  private final KeyedStream<T, K> input;
  private final WindowAssigner<? super T, W> assigner;
  private Trigger<? super T, W> trigger;
  private Evictor<? super T, W> evictor;
  private long allowedLateness;
  private OutputTag<T> lateTag;

  WindowedStream(KeyedStream<T, K> input, WindowAssigner<? super T, W> assigner) {
    this.input = input;
    this.assigner = Objects.requireNonNull(assigner, "assigner");
    this.trigger = assigner.getDefaultTrigger();
  }

  /**
   * Replaces the assigner's default trigger.
   *
   * @param trigger decides when windows fire and purge
   * @return this
   */
  public WindowedStream<T, K, W> trigger(Trigger<? super T, W> trigger) {
    Objects.requireNonNull(trigger, "trigger");
    if (assigner instanceof MergingWindowAssigner && !trigger.canMerge()) {
      throw new IllegalStateException(
          "Trigger " + trigger + " cannot merge windows, which " + assigner + " needs");
    }
    this.trigger = trigger;
    return this;
  }

  /**
   * Sets an evictor (only with {@link #process} and {@link #apply}).
   *
   * @param evictor removes records before/after the function
   * @return this
   */
  public WindowedStream<T, K, W> evictor(Evictor<? super T, W> evictor) {
    this.evictor = Objects.requireNonNull(evictor, "evictor");
    return this;
  }

  /**
   * Keeps event-time windows open for late records: a record up to {@code lateness} behind the
   * watermark updates its window and fires it again; the window's state is removed when the
   * watermark passes {@code end - 1 + lateness}. Default zero.
   *
   * @param lateness how long after the window's end records are still accepted
   * @return this
   */
  public WindowedStream<T, K, W> allowedLateness(Duration lateness) {
    if (lateness.isNegative()) {
      throw new IllegalArgumentException("allowedLateness must not be negative: " + lateness);
    }
    this.allowedLateness = lateness.toMillis();
    return this;
  }

  /**
   * Sends records too late for every window they belong to into a side output instead of dropping
   * them (dropped records are counted in the {@code late-records-dropped} metric).
   *
   * @param tag the side output; read it with {@link SingleOutputStreamOperator#getSideOutput}
   * @return this
   */
  public WindowedStream<T, K, W> sideOutputLateData(OutputTag<T> tag) {
    this.lateTag = Objects.requireNonNull(tag, "tag");
    return this;
  }

  /**
   * Reduces each window incrementally and emits the result when it fires.
   *
   * @param reducer combines two records
   * @return the results, with the input's serde
   */
  public SingleOutputStreamOperator<T> reduce(ReduceFunction<T> reducer) {
    Objects.requireNonNull(reducer, "reducer");
    return incremental(
            "reduce",
            RollingFunctions.reducing(reducer),
            serde("reduce"),
            WindowFunctions.passThrough())
        .withSerde(serde("reduce"));
  }

  /**
   * Reduces incrementally and passes the result to {@code function} with the window.
   *
   * @param reducer combines two records
   * @param function gets the one reduced value
   * @param <R> output type
   * @return the results
   */
  public <R> SingleOutputStreamOperator<R> reduce(
      ReduceFunction<T> reducer, ProcessWindowFunction<T, R, K, W> function) {
    Objects.requireNonNull(function, "function");
    return incremental(
        "reduce",
        RollingFunctions.reducing(reducer),
        serde("reduce"),
        WindowFunctions.of(function));
  }

  /**
   * Aggregates each window incrementally and emits the result when it fires.
   *
   * @param aggregator the aggregation
   * @param accumulatorSerde the accumulator's serde (it is stored)
   * @param <A> accumulator type
   * @param <R> result type
   * @return the results
   */
  public <A, R> SingleOutputStreamOperator<R> aggregate(
      AggregateFunction<T, A, R> aggregator, Serde<A> accumulatorSerde) {
    return incremental("aggregate", aggregator, accumulatorSerde, WindowFunctions.passThrough());
  }

  /**
   * Aggregates incrementally and passes the result to {@code function} with the window.
   *
   * @param aggregator the aggregation
   * @param accumulatorSerde the accumulator's serde
   * @param function gets the one aggregated result
   * @param <A> accumulator type
   * @param <R> aggregate result type
   * @param <O> output type
   * @return the results
   */
  public <A, R, O> SingleOutputStreamOperator<O> aggregate(
      AggregateFunction<T, A, R> aggregator,
      Serde<A> accumulatorSerde,
      ProcessWindowFunction<R, O, K, W> function) {
    Objects.requireNonNull(function, "function");
    return incremental("aggregate", aggregator, accumulatorSerde, WindowFunctions.of(function));
  }

  /**
   * Keeps every record of a window and passes them to {@code function} when it fires.
   *
   * @param function the full window function
   * @param <R> output type
   * @return the results
   */
  public <R> SingleOutputStreamOperator<R> process(ProcessWindowFunction<T, R, K, W> function) {
    Objects.requireNonNull(function, "function");
    return full("process", WindowFunctions.of(function));
  }

  /**
   * Keeps every record of a window and passes them to {@code function} when it fires.
   *
   * @param function the window function
   * @param <R> output type
   * @return the results
   */
  public <R> SingleOutputStreamOperator<R> apply(WindowFunction<T, R, K, W> function) {
    Objects.requireNonNull(function, "function");
    return full("apply", WindowFunctions.of(function));
  }

  /**
   * Sum of numeric records per window.
   *
   * @return the sums
   */
  public SingleOutputStreamOperator<T> sum() {
    return incremental("sum", RollingFunctions.sum(), serde("sum"), WindowFunctions.passThrough())
        .withSerde(serde("sum"));
  }

  /**
   * Minimum of {@code Comparable} records per window.
   *
   * @return the minima
   */
  public SingleOutputStreamOperator<T> min() {
    return incremental("min", RollingFunctions.min(), serde("min"), WindowFunctions.passThrough())
        .withSerde(serde("min"));
  }

  /**
   * Maximum of {@code Comparable} records per window.
   *
   * @return the maxima
   */
  public SingleOutputStreamOperator<T> max() {
    return incremental("max", RollingFunctions.max(), serde("max"), WindowFunctions.passThrough())
        .withSerde(serde("max"));
  }

  /**
   * The record with the smallest {@code field} per window (the first of equals).
   *
   * @param field the compared field
   * @param <C> field type
   * @return the records
   */
  public <C extends Comparable<? super C>> SingleOutputStreamOperator<T> minBy(
      KeySelector<? super T, C> field) {
    return incremental(
            "minBy", RollingFunctions.minBy(field), serde("minBy"), WindowFunctions.passThrough())
        .withSerde(serde("minBy"));
  }

  /**
   * The record with the largest {@code field} per window (the first of equals).
   *
   * @param field the compared field
   * @param <C> field type
   * @return the records
   */
  public <C extends Comparable<? super C>> SingleOutputStreamOperator<T> maxBy(
      KeySelector<? super T, C> field) {
    return incremental(
            "maxBy", RollingFunctions.maxBy(field), serde("maxBy"), WindowFunctions.passThrough())
        .withSerde(serde("maxBy"));
  }

  private Serde<T> serde(String what) {
    Serde<T> s = Plan.effectiveSerde(input.transformation);
    if (s == null) {
      throw new IllegalStateException(
          "Window "
              + what
              + "() stores the records of '"
              + input.transformation.name()
              + "' in state but Weir does not know their serde: call .returns(serde) before"
              + " keyBy(...) or pass Repartition.named(...).withValueSerde(serde)");
    }
    return s;
  }

  private <A, R, O> SingleOutputStreamOperator<O> incremental(
      String kind,
      AggregateFunction<T, A, R> aggregator,
      Serde<A> accumulatorSerde,
      WindowOperator.WindowProcess<R, O, K, W> function) {
    Objects.requireNonNull(aggregator, "aggregator");
    Objects.requireNonNull(accumulatorSerde, "accumulatorSerde");
    if (evictor != null) {
      throw new IllegalStateException(
          "An evictor needs the window's records, but "
              + kind
              + "() keeps only an accumulator: use process(...) or apply(...) with the evictor,"
              + " or drop the evictor");
    }
    return build(
        kind,
        new WindowOperator.Spec<K, T, A, R, O, W>(
            assigner,
            trigger,
            null,
            allowedLateness,
            lateTag,
            input.keySerde(),
            aggregator,
            accumulatorSerde,
            null,
            function));
  }

  private <O> SingleOutputStreamOperator<O> full(
      String kind, WindowOperator.WindowProcess<T, O, K, W> function) {
    return build(
        kind,
        new WindowOperator.Spec<K, T, T, T, O, W>(
            assigner,
            trigger,
            evictor,
            allowedLateness,
            lateTag,
            input.keySerde(),
            null,
            null,
            serde(kind),
            function));
  }

  private <A, R, O> SingleOutputStreamOperator<O> build(
      String kind, WindowOperator.Spec<K, T, A, R, O, W> spec) {
    return input.addOperator("window-" + kind, WindowOperator.factory(spec), true);
  }
}
