package dev.weir.chaos;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.FilterFunction;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.MapFunction;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.sink.file.DefaultRollingPolicy;
import dev.weir.sink.file.FileSink;
import dev.weir.sink.file.SimpleStringEncoder;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.stream.WindowedStream;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TimeWindow;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The pipeline under test and what it must output.
 *
 * <p>{@link Kind#RUNNING_COUNT}: {@code "key:seq"} in (watermarks bounded by the workload's
 * jitter), key by key (a repartition topic), an optional slow step and a running count per key in
 * keyed state (a changelog topic), {@code "key:seq:count"} out, keyed by key. Every input yields
 * exactly one output. {@link Kind#REPARTITION} skips the count: {@code "key:seq"} out. {@link
 * Kind#COUNT_AND_WINDOWS} (the default) adds, on the same keyed stream, 10-second tumbling
 * event-time windows counting each key's records: {@code "key:windowStart:count"} to a second
 * topic, one result per window that has records. {@link Kind#COUNT_WINDOWS_AND_JOIN} (the default)
 * adds an interval join: the input's records with an even {@code seq} (left) and with an odd one
 * (right), each keyed by key through its own repartition topic, joined when their event times are
 * at most {@link #JOIN_BOUND} apart, {@code "key:leftSeq:rightSeq"} to a third topic.
 */
public final class ChaosPipeline {
  private ChaosPipeline() {}

  /** Which pipeline runs; the verifier's expectation depends on it. */
  public enum Kind {
    /** Source, repartition by key, slow step, sink: each record once. */
    REPARTITION,
    /** Source, repartition by key, slow step and running count in keyed state, sink. */
    RUNNING_COUNT,
    /**
     * {@link #RUNNING_COUNT}, and from the same keyed stream tumbling event-time windows counting
     * each key's records, to a second output topic.
     */
    COUNT_AND_WINDOWS,
    /** {@link #COUNT_AND_WINDOWS}, and an interval join of the even and odd records, to a third. */
    COUNT_WINDOWS_AND_JOIN;

    /**
     * The output the pipeline must produce for input {@code seq} of {@code workload}, whose running
     * count (rank among its key's records) is {@code runningCount}.
     */
    String expected(Workload workload, int seq, int runningCount) {
      String keyAndSeq = workload.key(seq) + ":" + seq;
      return this == REPARTITION ? keyAndSeq : keyAndSeq + ":" + runningCount;
    }

    /** Whether the pipeline writes window results. */
    public boolean hasWindows() {
      return this == COUNT_AND_WINDOWS || this == COUNT_WINDOWS_AND_JOIN;
    }

    /** Whether the pipeline writes interval join results. */
    public boolean hasJoin() {
      return this == COUNT_WINDOWS_AND_JOIN;
    }
  }

  /**
   * The interval join's bounds: a right record joins a left one of the same key when their event
   * times are at most this far apart, either way.
   */
  public static final Duration JOIN_BOUND = Duration.ofMillis(20);

  /** Size of the tumbling windows, in event time. */
  public static final Duration WINDOW = Duration.ofSeconds(10);

  /**
   * The watermark's bound on out-of-orderness: the workload's jitter, so that no record is late
   * (within a partition records arrive in {@code seq} order, at most the jitter out of order).
   */
  static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(Workload.MAX_JITTER_MS);

  /**
   * Builds the topology.
   *
   * @param kind which pipeline
   * @param in input topic
   * @param out output topic
   * @param windowsOut output topic of the window results ({@link Kind#hasWindows()})
   * @param joinsOut output topic of the join results ({@link Kind#hasJoin()})
   * @param slowEvery every how many records per task the slow step sleeps; 0 for never
   * @param slowMs how long it sleeps
   * @param filesDir with a path, the results also go through the exactly-once file sink into hourly
   *     buckets of part files there (small parts: rolled at 64 KiB, 10 s, or 2 s idle); empty for
   *     none
   * @param postgresUrl with a JDBC URL, the results also go exactly once into the table of {@link
   *     PostgresChaosSink} in that database; empty for none
   * @param windowLists whether the windows keep their records (list state, design record 032) and
   *     count them when they fire, instead of counting incrementally: the same results
   * @return the topology
   */
  public static Topology topology(
      Kind kind,
      String in,
      String out,
      String windowsOut,
      String joinsOut,
      int slowEvery,
      int slowMs,
      String filesDir,
      String postgresUrl,
      boolean windowLists) {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> input =
        b.fromSource(
            KafkaSource.topic(in, Serdes.String()),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(OUT_OF_ORDERNESS),
            "chaos-in");
    KeyedStream<String, String> byKey =
        input.keyBy(
            ChaosPipeline::keyOf,
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()));
    // The slow step sits downstream of the repartition, in the stateful sub-topology.
    DataStream<String> result =
        kind == Kind.REPARTITION
            ? byKey.map(new SlowStep(slowEvery, slowMs)).name("slow-step")
            : byKey.process(new RunningCount(slowEvery, slowMs)).uid("counter");
    result.sinkTo(
        KafkaSink.topic(out, Serdes.String()).withKey(ChaosPipeline::keyOf, Serdes.String()));
    if (!filesDir.isEmpty()) {
      result
          .sinkTo(
              FileSink.forRowFormat(filesDir, new SimpleStringEncoder<String>())
                  .withRollingPolicy(
                      DefaultRollingPolicy.builder()
                          .withMaxPartSize(64 * 1024)
                          .withRolloverInterval(Duration.ofSeconds(10))
                          .withInactivityInterval(Duration.ofSeconds(2))
                          .build())
                  .build())
          .uid("files");
    }
    if (!postgresUrl.isEmpty()) {
      PostgresChaosSink.attach(result, postgresUrl);
    }
    if (kind.hasWindows()) {
      WindowedStream<String, String, TimeWindow> windows =
          byKey.window(TumblingEventTimeWindows.of(WINDOW));
      (windowLists
              ? windows.process(new CountKeptRecords())
              : windows.aggregate(new CountRecords(), Serdes.Long(), new FormatWindow()))
          .uid("window-count")
          .sinkTo(
              KafkaSink.topic(windowsOut, Serdes.String())
                  .withKey(ChaosPipeline::keyOf, Serdes.String()));
    }
    if (kind.hasJoin()) {
      joinSide(input, 0)
          .intervalJoin(joinSide(input, 1))
          .between(JOIN_BOUND.negated(), JOIN_BOUND)
          .process(new FormatPair())
          .uid("join")
          .sinkTo(
              KafkaSink.topic(joinsOut, Serdes.String())
                  .withKey(ChaosPipeline::keyOf, Serdes.String()));
    }
    return b.build();
  }

  /**
   * The records whose {@code seq} has parity {@code parity}, keyed by key through their own
   * repartition topic; the end-of-input sentinels stay out (their watermark still passes).
   */
  private static KeyedStream<String, String> joinSide(DataStream<String> input, int parity) {
    String side = parity == 0 ? "left" : "right";
    return input
        .filter(new JoinSide(parity))
        .name("join-" + side)
        .keyBy(
            ChaosPipeline::keyOf,
            Serdes.String(),
            Repartition.<String>named("join-" + side).withValueSerde(Serdes.String()));
  }

  /** Keeps the records of one parity of {@code seq}, no sentinel. */
  static final class JoinSide implements FilterFunction<String> {
    private static final long serialVersionUID = 1L;
    private final int parity;

    JoinSide(int parity) {
      this.parity = parity;
    }

    @Override
    public boolean filter(String value) {
      return !value.startsWith("~") && seqOf(value) % 2 == parity;
    }
  }

  /** {@code "key:leftSeq:rightSeq"}. */
  static final class FormatPair extends ProcessJoinFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String left, String right, Context ctx, Collector<String> out) {
      out.collect(left + ":" + seqOf(right));
    }
  }

  static long seqOf(String value) {
    return Long.parseLong(value, value.indexOf(':') + 1, value.length(), 10);
  }

  /** Counts a window's records. */
  static final class CountRecords implements AggregateFunction<String, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(String value, Long acc) {
      return acc + 1;
    }

    @Override
    public Long getResult(Long acc) {
      return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /** {@code "key:windowStart:count"}. */
  static final class FormatWindow extends ProcessWindowFunction<Long, String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
      out.collect(key + ":" + ctx.window().getStart() + ":" + counts.iterator().next());
    }
  }

  /**
   * {@code "key:windowStart:count"} from the window's kept records: a record lost from or doubled
   * in the window's list changes the count.
   */
  static final class CountKeptRecords
      extends ProcessWindowFunction<String, String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<String> records, Collector<String> out) {
      long n = 0;
      for (String ignored : records) {
        n++;
      }
      out.collect(key + ":" + ctx.window().getStart() + ":" + n);
    }
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
