package dev.weir.chaos;

import dev.weir.functions.MapFunction;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The pipeline under test and what it must output.
 *
 * <p>{@link Kind#REPARTITION}: {@code "key:seq"} in, key by key (a repartition topic), an optional
 * slow step, {@code "key:seq"} out, keyed by key. Every input yields exactly one output.
 */
public final class ChaosPipeline {
  private ChaosPipeline() {}

  /** Which pipeline runs; the verifier's expectation depends on it. */
  public enum Kind {
    /** Source, repartition by key, map, sink: each record once. */
    REPARTITION;

    /** The output the pipeline must produce for input {@code seq} of {@code workload}. */
    String expected(Workload workload, int seq, int runningCount) {
      return workload.key(seq) + ":" + seq;
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
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "chaos-in")
        .keyBy(
            ChaosPipeline::keyOf,
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .map(new SlowStep(slowEvery, slowMs))
        .name("slow-step")
        .sinkTo(
            KafkaSink.topic(out, Serdes.String()).withKey(ChaosPipeline::keyOf, Serdes.String()));
    return b.build();
  }

  static String keyOf(String value) {
    return value.substring(0, value.indexOf(':'));
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
