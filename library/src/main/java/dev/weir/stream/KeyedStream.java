package dev.weir.stream;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.FilterFunction;
import dev.weir.functions.FlatMapFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.MapFunction;
import dev.weir.functions.ProcessFunction;
import dev.weir.functions.ReduceFunction;
import dev.weir.functions.RichFunction;
import dev.weir.internal.graph.OperatorSpec;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.Transformation;
import dev.weir.windowing.CountEvictor;
import dev.weir.windowing.CountTrigger;
import dev.weir.windowing.GlobalWindow;
import dev.weir.windowing.GlobalWindows;
import dev.weir.windowing.PurgingTrigger;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowAssigner;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A stream partitioned by key: every record of one key is processed by the same task, and keyed
 * state of the operators applied to it is scoped to the current record's key.
 *
 * <p>Stateful operators ({@link #process(KeyedProcessFunction)}, the rolling aggregations, and rich
 * functions passed to {@link #map}, {@link #flatMap}, {@link #filter} and {@link
 * #process(ProcessFunction)}) each get a store named after the operator's {@code uid} (else its
 * name), backed by the compacted changelog topic {@code <application.id>-<store>-changelog}. Give
 * them a stable {@code uid(...)}: the name is persisted.
 *
 * <p>The rolling aggregations emit the updated result for every record; they keep one value per key
 * forever, so use them on bounded key spaces (or use windows, or state with a TTL).
 *
 * @param <T> record type
 * @param <K> key type
 */
public final class KeyedStream<T, K> extends DataStream<T> {
  private final Serde<K> keySerde;

  KeyedStream(StreamBuilder builder, Transformation<T> transformation, Serde<K> keySerde) {
    super(builder, transformation);
    this.keySerde = keySerde;
  }

  /**
   * Returns the keys' serde.
   *
   * @return the key serde
   */
  public Serde<K> keySerde() {
    return keySerde;
  }

  /**
   * Applies a {@link KeyedProcessFunction}: per-record access to keyed state, the current key,
   * clocks and side outputs.
   *
   * @param function the function; copied per task
   * @param <R> output type
   * @return the resulting stream
   */
  public <R> SingleOutputStreamOperator<R> process(KeyedProcessFunction<K, ? super T, R> function) {
    Objects.requireNonNull(function, "function");
    return addOperator("process", new OperatorSpec.KeyedProcessSpec(function, keySerde), true);
  }

  /**
   * Like {@link DataStream#process(ProcessFunction)}, with keyed state available to the function.
   *
   * @param function the function; copied per task
   * @param <R> output type
   * @return the resulting stream
   */
  @Override
  public <R> SingleOutputStreamOperator<R> process(ProcessFunction<? super T, R> function) {
    Objects.requireNonNull(function, "function");
    return addOperator("process", new OperatorSpec.ProcessSpec(function), true);
  }

  /**
   * Like {@link DataStream#map}; a {@link RichFunction} gets keyed state.
   *
   * @param mapper the function; copied per task
   * @param <R> output type
   * @return the mapped stream
   */
  @Override
  public <R> SingleOutputStreamOperator<R> map(MapFunction<? super T, ? extends R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return addOperator("map", new OperatorSpec.MapSpec(mapper), mapper instanceof RichFunction);
  }

  /**
   * Like {@link DataStream#flatMap}; a {@link RichFunction} gets keyed state.
   *
   * @param mapper the function; copied per task
   * @param <R> output type
   * @return the resulting stream
   */
  @Override
  public <R> SingleOutputStreamOperator<R> flatMap(FlatMapFunction<? super T, R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return addOperator(
        "flatMap", new OperatorSpec.FlatMapSpec(mapper), mapper instanceof RichFunction);
  }

  /**
   * Like {@link DataStream#filter}; a {@link RichFunction} gets keyed state.
   *
   * @param filter the predicate; copied per task
   * @return the filtered stream
   */
  @Override
  public SingleOutputStreamOperator<T> filter(FilterFunction<? super T> filter) {
    Objects.requireNonNull(filter, "filter");
    SingleOutputStreamOperator<T> out =
        addOperator("filter", new OperatorSpec.FilterSpec(filter), filter instanceof RichFunction);
    out.transformation.setSerde(transformation.serde());
    return out;
  }

  /**
   * Rolling reduce: combines each record with the key's result so far and emits the new result.
   *
   * @param reducer combines the result so far (first argument) with the record
   * @return the stream of updated results, with this stream's serde
   * @throws IllegalStateException if the records' serde is unknown (it stores them)
   */
  public SingleOutputStreamOperator<T> reduce(ReduceFunction<T> reducer) {
    Objects.requireNonNull(reducer, "reducer");
    return rolling("reduce", new OperatorSpec.Reduce(reducer));
  }

  /**
   * Rolling aggregation: folds each record into the key's accumulator and emits the result.
   *
   * @param aggregator creates, updates and reads the accumulator
   * @param accumulatorSerde the accumulator's serde (it is what is stored)
   * @param <A> accumulator type
   * @param <R> result type
   * @return the stream of updated results
   */
  public <A, R> SingleOutputStreamOperator<R> aggregate(
      AggregateFunction<T, A, R> aggregator, Serde<A> accumulatorSerde) {
    Objects.requireNonNull(aggregator, "aggregator");
    Objects.requireNonNull(accumulatorSerde, "accumulatorSerde");
    return addOperator(
        "aggregate",
        new OperatorSpec.RollingSpec(new OperatorSpec.Aggregate(aggregator), accumulatorSerde),
        true);
  }

  /**
   * Rolling count: emits the key with the number of its records so far, for every record. The count
   * is kept in keyed state (give the operator a stable {@code uid}).
   *
   * @return the stream of {@code (key, count)} pairs, with a {@link KeyValueSerde} of the key's
   *     serde and {@code Long}
   */
  public SingleOutputStreamOperator<KeyValue<K, Long>> count() {
    return process(new Counting.Rolling<K, T>())
        .name("count")
        .returns(new KeyValueSerde<>(keySerde(), Serdes.Long()));
  }

  /**
   * Rolling sum of numeric records (Long, Integer, Double, Float, Short, Byte, BigInteger,
   * BigDecimal): the records must be numbers themselves, and the result carries no key. To sum a
   * field of richer records per key, use {@link #sumLong} or {@link #sumDouble}.
   *
   * @return the stream of running sums, with this stream's serde
   */
  public SingleOutputStreamOperator<T> sum() {
    return rolling("sum", new OperatorSpec.Sum());
  }

  /**
   * Rolling sum of a {@code long} field of the records, per key: emits the key with the sum so far,
   * for every record. The sum is kept in keyed state (give the operator a stable {@code uid}). For
   * the record itself with its running sum, use {@link #reduce} or {@link #process}.
   *
   * <pre>{@code
   * orders.keyBy(Order::customer, Serdes.String()).sumLong(Order::quantity)  // KeyValue<String, Long>
   * }</pre>
   *
   * @param field selects the summed field; a returned null fails the task with an error naming the
   *     aggregation and the record
   * @return the stream of {@code (key, sum)} pairs, with a {@link KeyValueSerde} of the key's serde
   *     and {@code Long}
   */
  public SingleOutputStreamOperator<KeyValue<K, Long>> sumLong(KeySelector<? super T, Long> field) {
    return process(new FieldAggregates.SumLong<K, T>(field))
        .name("sumLong")
        .returns(new KeyValueSerde<>(keySerde(), Serdes.Long()));
  }

  /**
   * Rolling sum of a {@code double} field of the records, per key: emits the key with the sum so
   * far, for every record, as {@link #sumLong} does.
   *
   * @param field selects the summed field; a returned null fails the task with an error naming the
   *     aggregation and the record
   * @return the stream of {@code (key, sum)} pairs, with a {@link KeyValueSerde} of the key's serde
   *     and {@code Double}
   */
  public SingleOutputStreamOperator<KeyValue<K, Double>> sumDouble(
      KeySelector<? super T, Double> field) {
    return process(new FieldAggregates.SumDouble<K, T>(field))
        .name("sumDouble")
        .returns(new KeyValueSerde<>(keySerde(), Serdes.Double()));
  }

  /**
   * Rolling minimum of {@code Comparable} records (for the record with the smallest field: {@link
   * #minBy}).
   *
   * @return the stream of running minima
   */
  public SingleOutputStreamOperator<T> min() {
    return rolling("min", new OperatorSpec.Min());
  }

  /**
   * Rolling maximum of {@code Comparable} records (for the record with the largest field: {@link
   * #maxBy}).
   *
   * @return the stream of running maxima
   */
  public SingleOutputStreamOperator<T> max() {
    return rolling("max", new OperatorSpec.Max());
  }

  /**
   * Emits, for every record, the key's record with the smallest {@code field} so far (the first of
   * equals).
   *
   * @param field extracts the compared field
   * @param <C> field type
   * @return the stream of running minimal records
   */
  public <C extends Comparable<? super C>> SingleOutputStreamOperator<T> minBy(
      KeySelector<? super T, C> field) {
    Objects.requireNonNull(field, "field");
    return rolling("minBy", new OperatorSpec.MinBy(field));
  }

  /**
   * Emits, for every record, the key's record with the largest {@code field} so far (the first of
   * equals).
   *
   * @param field extracts the compared field
   * @param <C> field type
   * @return the stream of running maximal records
   */
  public <C extends Comparable<? super C>> SingleOutputStreamOperator<T> maxBy(
      KeySelector<? super T, C> field) {
    Objects.requireNonNull(field, "field");
    return rolling("maxBy", new OperatorSpec.MaxBy(field));
  }

  /**
   * Starts an interval join with {@code other}: every record of this stream (left) at {@code l}
   * with every record of {@code other} (right) of the same key at {@code r} within bounds set by
   * {@link IntervalJoin#between}. Only keyed streams with the same key type can be joined; their
   * key serdes must be of the same class and their topics co-partitioned (checked when the topology
   * is built and when it starts).
   *
   * @param other the right input, keyed by the same key type
   * @param <T1> the right input's record type
   * @return the join, to bound
   * @throws IllegalArgumentException when the streams come from different builders
   */
  public <T1> IntervalJoin<T, T1, K> intervalJoin(KeyedStream<T1, K> other) {
    return new IntervalJoin<>(this, Objects.requireNonNull(other, "other"));
  }

  /**
   * Cuts the stream into windows of each key.
   *
   * @param assigner assigns records to windows
   * @param <W> window type
   * @return the windowed stream
   */
  public <W extends Window> WindowedStream<T, K, W> window(WindowAssigner<? super T, W> assigner) {
    return new WindowedStream<>(this, assigner);
  }

  /**
   * Tumbling count windows: fires and purges every {@code size} records of a key.
   *
   * @param size records per window
   * @return the windowed stream
   */
  public WindowedStream<T, K, GlobalWindow> countWindow(long size) {
    return window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(size)));
  }

  /**
   * Sliding count windows: every {@code slide} records, evaluates the last {@code size} records of
   * the key. Needs a full function ({@code process}/{@code apply}), since it uses an evictor.
   *
   * @param size records per window
   * @param slide records between evaluations
   * @return the windowed stream
   */
  public WindowedStream<T, K, GlobalWindow> countWindow(long size, long slide) {
    return window(GlobalWindows.create())
        .evictor(CountEvictor.of(size))
        .trigger(CountTrigger.of(slide));
  }

  /** A rolling aggregation whose accumulator and output are records of this stream. */
  private SingleOutputStreamOperator<T> rolling(String kind, OperatorSpec.Aggregation aggregation) {
    Serde<T> serde = Plan.effectiveSerde(transformation);
    if (serde == null) {
      throw new IllegalStateException(
          kind
              + "() stores the records of '"
              + transformation.name()
              + "' in state but Weir does not know their serde: call .returns(serde) before"
              + " keyBy(...) or pass Repartition.named(...).withValueSerde(serde)");
    }
    SingleOutputStreamOperator<T> out =
        addOperator(kind, new OperatorSpec.RollingSpec(aggregation, serde), true);
    out.transformation.setSerde(serde);
    return out;
  }
}
