package dev.weir.perf.jmh;

import dev.weir.perf.Event;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The record path of a task without a broker, through {@link WeirTestDriver}, which runs the
 * production task and operator classes: the W1 chain (deserialise, parse, filter, enrich,
 * serialise), and a keyed chain whose record goes through the repartition path (key extraction,
 * serialisation of key and value into the repartition record, deserialisation downstream).
 *
 * <p>Caveat: the driver commits every task after every input record, so the keyed chain includes a
 * (cheap, nothing stateful) commit per record that the runtime would amortise over 100 ms. Run with
 * {@code perf/run.sh jmh Pipeline}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {
  private static final int LINES = 4096;

  private WeirTestDriver w1;
  private TestInputTopic<String, String> w1In;
  private TestOutputTopic<String, String> w1Out;
  private WeirTestDriver keyed;
  private TestInputTopic<String, String> keyedIn;
  private TestOutputTopic<String, String> keyedOut;
  private final String[] lines = new String[LINES];
  private int next;

  /** Builds both pipelines and a ring of input lines like the harness's data set. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < LINES; i++) {
      lines[i] =
          new Event(
                  i,
                  String.format("k%04d", r.nextInt(10_000)),
                  1_700_000_000_000L + i,
                  r.nextInt(100_000),
                  "c" + r.nextInt(1, 10),
                  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk")
              .toLine();
    }
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .map(Event::parse)
        .name("parse")
        .filter(Event::keep)
        .name("keep")
        .map(e -> KeyValue.of(e.key(), e.enrich()))
        .name("enrich")
        .sinkTo(KafkaSink.keyValues("out", Serdes.String(), Serdes.String()));
    w1 = new WeirTestDriver(b.build());
    w1In = w1.createInputTopic("in", new StringSerializer(), new StringSerializer());
    w1Out = w1.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());

    keyed = new WeirTestDriver(keyedTopology());
    keyedIn = keyed.createInputTopic("in", new StringSerializer(), new StringSerializer());
    keyedOut = keyed.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
  }

  private static Topology keyedTopology() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(
            line -> line.substring(line.indexOf(',') + 1, line.indexOf(',', line.indexOf(',') + 1)),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .map(line -> line.length() + ":" + line.substring(0, 8))
        .name("tag")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b.build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    w1.close();
    keyed.close();
  }

  /** W1 per record; all records carry a kept category, so each yields one output. */
  @Benchmark
  public String w1Record() {
    w1In.pipeInput(lines[next++ & (LINES - 1)]);
    return w1Out.readValue();
  }

  /** keyBy, repartition record, map, sink per record. */
  @Benchmark
  public String keyedRecord() {
    keyedIn.pipeInput(lines[next++ & (LINES - 1)]);
    return keyedOut.readValue();
  }
}
