package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.SingleOutputStreamOperator;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.stream.WindowedStream;
import dev.weir.testkit.JavaProcess;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TimeWindow;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One instance of the windowed-count pipeline in its own JVM: source "key:seq" (4 partitions,
 * bounded out-of-orderness 500 ms, idleness 2 s) -> keyBy (repartition, 4 tasks) -> 1-second
 * tumbling event-time windows -> count -> "key@windowStart=count". Arguments: bootstrap, state dir,
 * input topic, output topic.
 */
public final class WindowCountMain {
  private WindowCountMain() {}

  /** Counts records. */
  static final class Count implements AggregateFunction<String, Long, Long> {
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

  /** Formats a window's count with its key and start. */
  static final class Format extends ProcessWindowFunction<Long, String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
      out.collect(key + "@" + ctx.window().getStart() + "=" + counts.iterator().next());
    }
  }

  /**
   * Counts a window's records from its contents (a list kept in state, one element per record,
   * logged in batches: design record 032) instead of an aggregate.
   */
  static final class CountContents
      extends ProcessWindowFunction<String, String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<String> records, Collector<String> out) {
      long n = 0;
      for (String ignored : records) {
        n++;
      }
      out.collect(key + "@" + ctx.window().getStart() + "=" + n);
    }
  }

  static Topology topology(String in, String out) {
    return topology(in, out, false);
  }

  /** With {@code contents}, the window keeps its records and counts them when it fires. */
  static Topology topology(String in, String out, boolean contents) {
    StreamBuilder b = new StreamBuilder();
    WindowedStream<String, String, TimeWindow> windows =
        b.fromSource(
                KafkaSource.topic(in, Serdes.String()),
                WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofMillis(500))
                    .withIdleness(Duration.ofSeconds(2)),
                "in")
            .keyBy(
                v -> v.substring(0, v.indexOf(':')),
                Serdes.String(),
                Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)));
    SingleOutputStreamOperator<String> counts =
        contents
            ? windows.process(new CountContents())
            : windows.aggregate(new Count(), Serdes.Long(), new Format());
    counts
        .uid("count-per-second")
        .sinkTo(
            KafkaSink.topic(out, Serdes.String())
                .withKey(v -> v.substring(0, v.indexOf('@')), Serdes.String()));
    return b.build();
  }

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    Properties p = Pipelines.appProps(args[0], "window-count", Path.of(args[1]));
    p.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 2);
    p.put(WeirConfig.WATERMARK_STALL_WARN_MS_CONFIG, 10_000);
    boolean contents = args.length > 4 && args[4].equals("contents");
    System.out.println("WINDOW STATE " + (contents ? "contents" : "aggregate"));
    WeirApplication app = new WeirApplication(topology(args[2], args[3], contents), p);
    CountDownLatch stopped = new CountDownLatch(1);
    app.setStateListener(
        (now, before) -> {
          System.out.println("STATE " + now);
          if (now.isTerminal()) {
            stopped.countDown();
          }
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("METRICS " + app.metricsSnapshot());
                  app.close();
                }));
    app.start();
    stopped.await();
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }
}
