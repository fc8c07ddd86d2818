package dev.weir.stream;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ReduceFunction;
import dev.weir.internal.graph.OperatorSpec;
import dev.weir.internal.graph.Plan;
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
import org.apache.kafka.common.serialization.Serdes;

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
 * <p>Unlike the Kafka specs, this is a builder, as in Flink: {@link #trigger}, {@link #evictor},
 * {@link #allowedLateness} and {@link #sideOutputLateData} change this object and return it. Each
 * window function call ({@code reduce}, {@code aggregate}, {@code process}...) records an operator
 * with the settings of that moment; later changes do not affect operators already recorded. Not
 * thread-safe.
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
    return this.<T>incremental(
            "reduce",
            new OperatorSpec.Reduce(reducer),
            serde("reduce"),
            new OperatorSpec.PassThrough())
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
        new OperatorSpec.Reduce(reducer),
        serde("reduce"),
        new OperatorSpec.ProcessWindow(function));
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
    Objects.requireNonNull(aggregator, "aggregator");
    return incremental(
        "aggregate",
        new OperatorSpec.Aggregate(aggregator),
        accumulatorSerde,
        new OperatorSpec.PassThrough());
  }

  /**
   * Counts each window's records per key, incrementally (one {@code Long} per key and window in
   * state). Each firing emits the key with the window's count, timestamped with the window's {@code
   * maxTimestamp()} as every window result is.
   *
   * @return the {@code (key, count)} pairs, with a {@link KeyValueSerde} of the key's serde and
   *     {@code Long}
   */
  public SingleOutputStreamOperator<KeyValue<K, Long>> count() {
    return aggregate(new Counting.CountAggregate<T>(), Serdes.Long(), new Counting.WithKey<K, W>())
        .name("count")
        .returns(new KeyValueSerde<>(input.keySerde(), Serdes.Long()));
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
    Objects.requireNonNull(aggregator, "aggregator");
    return incremental(
        "aggregate",
        new OperatorSpec.Aggregate(aggregator),
        accumulatorSerde,
        new OperatorSpec.ProcessWindow(function));
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
    return full("process", new OperatorSpec.ProcessWindow(function));
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
    return full("apply", new OperatorSpec.ApplyWindow(function));
  }

  /**
   * Sum of numeric records per window.
   *
   * @return the sums
   */
  public SingleOutputStreamOperator<T> sum() {
    return this.<T>incremental(
            "sum", new OperatorSpec.Sum(), serde("sum"), new OperatorSpec.PassThrough())
        .withSerde(serde("sum"));
  }

  /**
   * Minimum of {@code Comparable} records per window.
   *
   * @return the minima
   */
  public SingleOutputStreamOperator<T> min() {
    return this.<T>incremental(
            "min", new OperatorSpec.Min(), serde("min"), new OperatorSpec.PassThrough())
        .withSerde(serde("min"));
  }

  /**
   * Maximum of {@code Comparable} records per window.
   *
   * @return the maxima
   */
  public SingleOutputStreamOperator<T> max() {
    return this.<T>incremental(
            "max", new OperatorSpec.Max(), serde("max"), new OperatorSpec.PassThrough())
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
    return this.<T>incremental(
            "minBy", new OperatorSpec.MinBy(field), serde("minBy"), new OperatorSpec.PassThrough())
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
    return this.<T>incremental(
            "maxBy", new OperatorSpec.MaxBy(field), serde("maxBy"), new OperatorSpec.PassThrough())
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

  /**
   * A window that folds records into an accumulator. {@code O} is the output type the calling API
   * method promises for {@code aggregation} and {@code function}.
   */
  private <O> SingleOutputStreamOperator<O> incremental(
      String kind,
      OperatorSpec.Aggregation aggregation,
      Serde<?> accumulatorSerde,
      OperatorSpec.WindowFunctionSpec function) {
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
        new OperatorSpec.WindowSpec(
            assigner,
            trigger,
            null,
            allowedLateness,
            lateTag == null ? null : lateTag.name(),
            input.keySerde(),
            aggregation,
            accumulatorSerde,
            null,
            function));
  }

  /** A window that keeps its records and hands them all to {@code function}. */
  private <O> SingleOutputStreamOperator<O> full(
      String kind, OperatorSpec.WindowFunctionSpec function) {
    return build(
        kind,
        new OperatorSpec.WindowSpec(
            assigner,
            trigger,
            evictor,
            allowedLateness,
            lateTag == null ? null : lateTag.name(),
            input.keySerde(),
            null,
            null,
            serde(kind),
            function));
  }

  private <O> SingleOutputStreamOperator<O> build(String kind, OperatorSpec.WindowSpec spec) {
    return input.addOperator("window-" + kind, spec, true);
  }
}
