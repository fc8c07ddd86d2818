package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One instance of the interval join pipeline in its own JVM: sources "key:seq" on a left and a
 * right topic (monotonous timestamps per partition), each keyed by key through its own repartition
 * topic, an interval join with bounds of -300 ms and +300 ms, {@code "key:leftSeq:rightSeq"} out,
 * exactly-once. Arguments: bootstrap, state dir, left topic, right topic, output topic.
 */
public final class IntervalJoinMain {
  private IntervalJoinMain() {}

  /** The interval join's bound, either way. */
  static final Duration BOUND = Duration.ofMillis(300);

  /** {@code "key:leftSeq:rightSeq"}. */
  static final class Pair extends ProcessJoinFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String left, String right, Context ctx, Collector<String> out) {
      out.collect(left + ":" + right.substring(right.indexOf(':') + 1));
    }
  }

  static String keyOf(String v) {
    return v.substring(0, v.indexOf(':'));
  }

  private static KeyedStream<String, String> side(StreamBuilder b, String topic, String name) {
    return b.fromSource(
            KafkaSource.topic(topic, Serdes.String()),
            WatermarkStrategy.<String>forMonotonousTimestamps(),
            name)
        .keyBy(
            IntervalJoinMain::keyOf,
            Serdes.String(),
            Repartition.<String>named(name + "-by-key").withValueSerde(Serdes.String()));
  }

  static Topology topology(String left, String right, String out) {
    StreamBuilder b = new StreamBuilder();
    side(b, left, "left")
        .intervalJoin(side(b, right, "right"))
        .between(BOUND.negated(), BOUND)
        .process(new Pair())
        .uid("join")
        .sinkTo(
            KafkaSink.topic(out, Serdes.String())
                .withKey(IntervalJoinMain::keyOf, Serdes.String()));
    return b.build();
  }

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    Properties p = Pipelines.appProps(args[0], "interval-join", Path.of(args[1]));
    p.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 2);
    p.put(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.EXACTLY_ONCE);
    WeirApplication app = new WeirApplication(topology(args[2], args[3], args[4]), p);
    CountDownLatch stopped = new CountDownLatch(1);
    app.setStateListener(
        (now, before) -> {
          System.out.println("STATE " + now);
          if (now.isTerminal()) {
            stopped.countDown();
          }
        });
    Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    app.start();
    stopped.await();
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }
}
