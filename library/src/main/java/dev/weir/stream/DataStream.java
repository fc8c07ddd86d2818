package dev.weir.stream;

import dev.weir.functions.FilterFunction;
import dev.weir.functions.FlatMapFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.MapFunction;
import dev.weir.functions.Partitioner;
import dev.weir.functions.ProcessFunction;
import dev.weir.internal.graph.ExchangeMode;
import dev.weir.internal.graph.OneInputTransformation;
import dev.weir.internal.graph.OperatorSpec;
import dev.weir.internal.graph.PartitionTransformation;
import dev.weir.internal.graph.SinkTransformation;
import dev.weir.internal.graph.Transformation;
import dev.weir.internal.graph.UnionTransformation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A stream of records of type {@code T}. Operations return new streams; nothing runs until the
 * topology is started. Records carry a timestamp (their event time) that every operator keeps.
 *
 * <p>Operators inside one sub-topology run chained on the same task, passing records by method
 * call. {@link #keyBy}, {@link #rebalance} and {@link #partitionCustom} start a new sub-topology
 * behind an internal repartition topic, so the stream's records need a serde there: the source's,
 * or one given with {@link SingleOutputStreamOperator#returns}.
 *
 * <p>Every method only records a node in the builder's graph (the function object, the operator's
 * kind and options); operators are created from that description when the topology runs. A stream
 * is not thread-safe: build a pipeline on one thread.
 *
 * @param <T> record type
 */
public class DataStream<T> {
  final StreamBuilder builder;
  final Transformation<T> transformation;

  DataStream(StreamBuilder builder, Transformation<T> transformation) {
    this.builder = builder;
    this.transformation = transformation;
  }

  /**
   * Applies {@code mapper} to every record.
   *
   * @param mapper the function; copied per task
   * @param <R> output type
   * @return the mapped stream
   */
  public <R> SingleOutputStreamOperator<R> map(MapFunction<? super T, ? extends R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return addOperator("map", new OperatorSpec.MapSpec(mapper), false);
  }

  /**
   * Keeps the records for which {@code filter} returns true.
   *
   * @param filter the predicate; copied per task
   * @return the filtered stream, with this stream's serde
   */
  public SingleOutputStreamOperator<T> filter(FilterFunction<? super T> filter) {
    Objects.requireNonNull(filter, "filter");
    SingleOutputStreamOperator<T> out =
        addOperator("filter", new OperatorSpec.FilterSpec(filter), false);
    out.transformation.setSerde(transformation.serde());
    return out;
  }

  /**
   * Applies {@code mapper}, which may emit any number of records per input.
   *
   * @param mapper the function; copied per task
   * @param <R> output type
   * @return the resulting stream
   */
  public <R> SingleOutputStreamOperator<R> flatMap(FlatMapFunction<? super T, R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return addOperator("flatMap", new OperatorSpec.FlatMapSpec(mapper), false);
  }

  /**
   * Applies a {@link ProcessFunction}: per-record access to timestamp, clocks and side outputs.
   *
   * @param function the function; copied per task
   * @param <R> output type
   * @return the resulting stream; side outputs via {@link SingleOutputStreamOperator#getSideOutput}
   */
  public <R> SingleOutputStreamOperator<R> process(ProcessFunction<? super T, R> function) {
    Objects.requireNonNull(function, "function");
    return addOperator("process", new OperatorSpec.ProcessSpec(function), false);
  }

  /**
   * Merges this stream with others of the same type. Records keep their per-input order; there is
   * no order across inputs and no de-duplication. Sources merged this way must have equal partition
   * counts (checked at start).
   *
   * @param others the other streams
   * @return the merged stream
   */
  @SafeVarargs
  public final DataStream<T> union(DataStream<T>... others) {
    List<Transformation<T>> inputs = new ArrayList<>();
    inputs.add(transformation);
    for (DataStream<T> o : others) {
      if (o.builder != builder) {
        throw new IllegalArgumentException("union: streams come from different StreamBuilders");
      }
      inputs.add(o.transformation);
    }
    return new DataStream<>(
        builder, builder.add(new UnionTransformation<>(builder.nextId(), inputs)));
  }

  /**
   * Partitions the stream by key: records with equal keys go to the same task downstream, where
   * keyed state and timers are scoped to the record's key. Writes to the internal topic {@code
   * <application.id>-<name>-repartition}.
   *
   * @param keySelector extracts the key; must be deterministic
   * @param keySerde the keys' serde (the repartition topic's record key)
   * @param <K> key type
   * @return the keyed stream
   */
  public <K> KeyedStream<T, K> keyBy(
      KeySelector<? super T, ? extends K> keySelector, Serde<K> keySerde) {
    return keyBy(keySelector, keySerde, Repartition.auto());
  }

  /**
   * Partitions the stream by key, with options for the repartition topic (name, partitions, value
   * serde).
   *
   * @param keySelector extracts the key; must be deterministic
   * @param keySerde the keys' serde
   * @param options the repartition topic's options
   * @param <K> key type
   * @return the keyed stream
   */
  public <K> KeyedStream<T, K> keyBy(
      KeySelector<? super T, ? extends K> keySelector, Serde<K> keySerde, Repartition<T> options) {
    Objects.requireNonNull(keySelector, "keySelector");
    Objects.requireNonNull(keySerde, "keySerde");
    PartitionTransformation<T> p =
        exchange(ExchangeMode.KEY_HASH, keySelector, keySerde, null, options);
    return new KeyedStream<>(builder, p, keySerde);
  }

  /**
   * Declares that this stream's source topic is already partitioned by the key {@code keySelector}
   * extracts (serialised with {@code keySerde} and hashed as Kafka's default partitioner does), and
   * treats it as keyed without a repartition topic. Flink calls this {@code
   * reinterpretAsKeyedStream}. If the topic is not partitioned that way, keyed state is silently
   * split across tasks: use only for topics written by key-hash producers.
   *
   * @param keySelector extracts the key
   * @param keySerde the keys' serde
   * @param <K> key type
   * @return the keyed stream
   */
  public <K> KeyedStream<T, K> reinterpretAsKeyedStream(
      KeySelector<? super T, ? extends K> keySelector, Serde<K> keySerde) {
    Objects.requireNonNull(keySelector, "keySelector");
    Objects.requireNonNull(keySerde, "keySerde");
    SingleOutputStreamOperator<T> marked =
        addOperator(
            "reinterpretAsKeyed", new OperatorSpec.KeyingSpec(keySelector, keySerde), false);
    marked.transformation.setSerde(transformation.serde());
    return new KeyedStream<>(builder, marked.transformation, keySerde);
  }

  /**
   * Distributes records round-robin over all partitions of a repartition topic, to spread load.
   *
   * @return the rebalanced stream
   */
  public DataStream<T> rebalance() {
    return new DataStream<>(
        builder, exchange(ExchangeMode.REBALANCE, null, null, null, Repartition.auto()));
  }

  /**
   * Distributes records with a user partitioner over the partitions of a repartition topic.
   *
   * @param partitioner chooses a partition for a key
   * @param keySelector extracts the key the partitioner sees
   * @param <K> key type
   * @return the repartitioned stream
   */
  public <K> DataStream<T> partitionCustom(
      Partitioner<? super K> partitioner, KeySelector<? super T, K> keySelector) {
    Objects.requireNonNull(partitioner, "partitioner");
    Objects.requireNonNull(keySelector, "keySelector");
    return new DataStream<>(
        builder, exchange(ExchangeMode.CUSTOM, keySelector, null, partitioner, Repartition.auto()));
  }

  /**
   * Cuts the whole stream into windows, across keys. Every record goes through a one-partition
   * repartition topic to a single task; prefer keyed windows when the computation allows it.
   *
   * @param assigner assigns records to windows
   * @param <W> window type
   * @return the windowed stream
   */
  public <W extends dev.weir.windowing.Window> AllWindowedStream<T, W> windowAll(
      dev.weir.windowing.WindowAssigner<? super T, W> assigner) {
    KeyedStream<T, Integer> single =
        keyBy(v -> 0, Serdes.Integer(), Repartition.<T>auto().withPartitions(1));
    return new AllWindowedStream<>(single.window(assigner));
  }

  /**
   * Writes the stream to a Kafka topic.
   *
   * @param sink the topic and how to serialise records
   * @return the sink, to name it
   */
  public DataStreamSink<T> sinkTo(KafkaSink<? super T> sink) {
    Objects.requireNonNull(sink, "sink");
    @SuppressWarnings("unchecked")
    KafkaSink<T> s = (KafkaSink<T>) sink;
    SinkTransformation<T> t =
        builder.add(new SinkTransformation<>(builder.nextId(), transformation, s.spec()));
    return new DataStreamSink<>(t);
  }

  /**
   * Writes the stream into an external system exactly once: the sink's transactions are
   * pre-committed at each task commit, recorded in the task's changelog inside the Kafka
   * transaction, and committed after it (see {@link dev.weir.sink.TwoPhaseCommitSink} and {@code
   * docs/sinks.md}). The sink keeps its pending transactions in a store named after its uid: give
   * it one with {@link DataStreamSink#uid(String)}.
   *
   * @param sink the sink; copied for each task
   * @return the sink, to name it and give it a uid
   * @throws NullPointerException when {@code sink} is null
   */
  public DataStreamSink<T> sinkTo(dev.weir.sink.TwoPhaseCommitSink<? super T, ?> sink) {
    Objects.requireNonNull(sink, "sink");
    OneInputTransformation<T, Void> t =
        builder.add(
            new OneInputTransformation<>(
                builder.nextId(),
                "two-phase-sink",
                transformation,
                new OperatorSpec.TwoPhaseSinkSpec(sink),
                false));
    return new DataStreamSink<>(t);
  }

  /**
   * Prints every record's {@code toString()} to standard out; with more than one task each line
   * starts with {@code n> }, n being the 1-based task partition. For debugging.
   *
   * @return the sink, to name it
   */
  public DataStreamSink<T> print() {
    return print("");
  }

  /**
   * Prints every record with a prefix.
   *
   * @param prefix put before each line
   * @return the sink
   */
  public DataStreamSink<T> print(String prefix) {
    OneInputTransformation<T, Void> t =
        builder.add(
            new OneInputTransformation<>(
                builder.nextId(),
                "print",
                transformation,
                new OperatorSpec.PrintSpec(prefix, System.out),
                false));
    return new DataStreamSink<>(t);
  }

  /**
   * Records a one-input operator reading this stream. {@code R} is the output type the calling API
   * method promises for {@code spec}; the graph keeps the spec untyped.
   */
  <R> SingleOutputStreamOperator<R> addOperator(String kind, OperatorSpec spec, boolean keyed) {
    OneInputTransformation<T, R> t =
        builder.add(
            new OneInputTransformation<>(builder.nextId(), kind, transformation, spec, keyed));
    return new SingleOutputStreamOperator<>(builder, t);
  }

  private PartitionTransformation<T> exchange(
      ExchangeMode mode,
      KeySelector<? super T, ?> selector,
      Serde<?> keySerde,
      Partitioner<?> partitioner,
      Repartition<T> options) {
    Objects.requireNonNull(options, "options");
    PartitionTransformation<T> p =
        builder.add(
            new PartitionTransformation<>(
                builder.nextId(),
                transformation,
                mode,
                selector,
                keySerde,
                partitioner,
                options.partitions()));
    if (options.name() != null) {
      p.setUid(options.name());
    }
    if (options.valueSerde() != null) {
      p.setSerde(options.valueSerde());
    }
    return p;
  }
}
