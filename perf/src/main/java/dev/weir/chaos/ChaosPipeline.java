package dev.weir.chaos;

import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.MapFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The pipeline under test and what it must output.
 *
 * <p>{@link Kind#RUNNING_COUNT} (the default): {@code "key:seq"} in, key by key (a repartition
 * topic), an optional slow step and a running count per key in keyed state (a changelog topic),
 * {@code "key:seq:count"} out, keyed by key. {@link Kind#REPARTITION} skips the count: {@code
 * "key:seq"} out. Every input yields exactly one output.
 */
public final class ChaosPipeline {
  private ChaosPipeline() {}

  /** Which pipeline runs; the verifier's expectation depends on it. */
  public enum Kind {
    /** Source, repartition by key, slow step, sink: each record once. */
    REPARTITION,
    /** Source, repartition by key, slow step and running count in keyed state, sink. */
    RUNNING_COUNT;

    /**
     * The output the pipeline must produce for input {@code seq} of {@code workload}, whose running
     * count (rank among its key's records) is {@code runningCount}.
     */
    String expected(Workload workload, int seq, int runningCount) {
      String keyAndSeq = workload.key(seq) + ":" + seq;
      return this == RUNNING_COUNT ? keyAndSeq + ":" + runningCount : keyAndSeq;
    }
  }

  /**
   * Builds the topology.
   *
   * @param kind which pipeline
   * @param in input topic
   * @param out output topic
   * @param slowEvery every how many records per task the slow step sleeps; 0 for never
   * @param slowMs how long it sleeps
   * @return the topology
   */
  public static Topology topology(Kind kind, String in, String out, int slowEvery, int slowMs) {
    StreamBuilder b = new StreamBuilder();
    KeyedStream<String, String> byKey =
        b.fromSource(KafkaSource.topic(in, Serdes.String()), "chaos-in")
            .keyBy(
                ChaosPipeline::keyOf,
                Serdes.String(),
                Repartition.<String>named("by-key").withValueSerde(Serdes.String()));
    // The slow step sits downstream of the repartition, in the stateful sub-topology.
    DataStream<String> result =
        kind == Kind.RUNNING_COUNT
            ? byKey.process(new RunningCount(slowEvery, slowMs)).uid("counter")
            : byKey.map(new SlowStep(slowEvery, slowMs)).name("slow-step");
    result.sinkTo(
        KafkaSink.topic(out, Serdes.String()).withKey(ChaosPipeline::keyOf, Serdes.String()));
    return b.build();
  }

  static String keyOf(String value) {
    return value.substring(0, value.indexOf(':'));
  }

  /**
   * Appends the key's running count, kept in keyed state: {@code "key:seq"} to {@code "key:seq:n"}.
   * Sleeps like {@link SlowStep} first.
   */
  static final class RunningCount extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final SlowStep slow;
    private transient ValueState<Long> count;

    RunningCount(int slowEvery, int slowMs) {
      this.slow = new SlowStep(slowEvery, slowMs);
    }

    @Override
    public void open() {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long(), 0L));
    }

    @Override
    public void processElement(String value, Context ctx, Collector<String> out)
        throws InterruptedException {
      slow.map(value);
      long n = count.value() + 1;
      count.update(n);
      out.collect(value + ":" + n);
    }
  }

  /**
   * A slow consumer: sleeps {@code ms} every {@code every} records. The sleep is the fault (work
   * that takes time), not a wait for a condition.
   */
  static final class SlowStep implements MapFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private final int every;
    private final int ms;
    private long seen;

    SlowStep(int every, int ms) {
      this.every = every;
      this.ms = ms;
    }

    @Override
    public String map(String value) throws InterruptedException {
      if (every > 0 && ++seen % every == 0) {
        Thread.sleep(ms);
      }
      return value;
    }
  }
}
