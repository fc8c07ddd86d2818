package dev.weir.perf.latency;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkGenerator;
import dev.weir.eventtime.WatermarkGeneratorSupplier;
import dev.weir.eventtime.WatermarkOutput;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.perf.Percentiles;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures the end-to-end latency from a record to the event-time timer it triggers downstream of a
 * repartition, at the default watermark interval (200 ms) and commit interval (100 ms), with
 * exactly-once: a producer writes one record per partition every 10 ms stamped with the wall clock;
 * the pipeline (4 partitions, keyBy, KeyedProcessFunction) registers an event-time timer at each
 * record's timestamp; the timer's output carries that timestamp, and a read_committed consumer
 * measures {@code now - timestamp} when it sees it. Prints p50/p90/p99/max.
 *
 * <p>Run: {@code java -cp <perf classpath> dev.weir.perf.latency.TimerLatency [seconds]
 * [periodic|punctuated]}. {@code periodic} (the default) uses {@code forMonotonousTimestamps()},
 * whose watermark moves at the {@code watermark.interval.ms} tick; {@code punctuated} uses a
 * generator that emits the same watermark (timestamp - 1) from {@code onEvent}, which takes effect
 * before the next record.
 */
public final class TimerLatency {
  private TimerLatency() {}

  /** Registers an event-time timer at each record's timestamp and emits when it fires. */
  static final class TimerAtRecordTime extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      ctx.timerService().registerEventTimeTimer(ctx.timestamp());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      out.collect(ctx.getCurrentKey());
    }
  }

  /** Monotonous timestamps, emitted from {@code onEvent}: a punctuated watermark per record. */
  static final class PunctuatedMonotonous implements WatermarkGenerator<String> {
    private long max = Long.MIN_VALUE;

    @Override
    public void onEvent(String event, long timestamp, WatermarkOutput output) {
      if (timestamp > max) {
        max = timestamp;
        output.emitWatermark(timestamp - 1);
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
  }

  /** Creates {@link PunctuatedMonotonous} generators. */
  static final class PunctuatedSupplier implements WatermarkGeneratorSupplier<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<String> createWatermarkGenerator() {
      return new PunctuatedMonotonous();
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    boolean punctuated = args.length > 1 && args[1].equals("punctuated");
    WatermarkStrategy<String> strategy =
        punctuated
            ? WatermarkStrategy.forGenerator(new PunctuatedSupplier())
            : WatermarkStrategy.<String>forMonotonousTimestamps();
    Path state = Files.createTempDirectory("weir-latency");
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("lat-in", 4);
      kafka.createTopic("lat-out", 4);
      StreamBuilder b = new StreamBuilder();
      b.fromSource(KafkaSource.topic("lat-in", Serdes.String()), strategy, "in")
          .keyBy(
              v -> v,
              Serdes.String(),
              Repartition.<String>named("k").withValueSerde(Serdes.String()))
          .process(new TimerAtRecordTime())
          .uid("timers")
          .sinkTo(KafkaSink.topic("lat-out", Serdes.String()));
      Properties p = new Properties();
      p.put(WeirConfig.APPLICATION_ID_CONFIG, "latency");
      p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
      p.put(WeirConfig.STATE_DIR_CONFIG, state.toString());
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean running = new AtomicBoolean(true);
      try (WeirApplication app = new WeirApplication(b.build(), p)) {
        app.start();
        Thread reader = new Thread(() -> read(bs, running, latencies), "latency-reader");
        reader.start();
        Map<String, Object> pc = new HashMap<>();
        pc.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
        pc.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        long end = System.currentTimeMillis() + seconds * 1000L;
        long warmupEnd = System.currentTimeMillis() + 5_000;
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer())) {
          int i = 0;
          while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            for (int part = 0; part < 4; part++) {
              producer.send(new ProducerRecord<>("lat-in", part, now, null, "k" + (i++ % 64)));
            }
            Thread.sleep(10); // the load generator's pace, not a wait for a condition
            if (now < warmupEnd) {
              latencies.clear();
            }
          }
        }
        // Drain: stop once no timer output arrived for a second (at most 10 s).
        long deadline = System.currentTimeMillis() + 10_000;
        int seen = -1;
        while (latencies.size() != seen && System.currentTimeMillis() < deadline) {
          seen = latencies.size();
          Thread.sleep(1_000); // sampling the reader's counter between checks
        }
        running.set(false);
        reader.join();
      }
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        System.out.println("timer-latency: no timers fired");
        System.exit(1);
      }
      System.out.printf(
          "timer-latency %s n=%d p50=%dms p90=%dms p99=%dms max=%dms (watermark.interval.ms=200,"
              + " commit.interval.ms=100, exactly_once, load %.1f)%n",
          punctuated ? "punctuated" : "periodic",
          sorted.length,
          Percentiles.nearestRank(sorted, 50),
          Percentiles.nearestRank(sorted, 90),
          Percentiles.nearestRank(sorted, 99),
          sorted[sorted.length - 1],
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void read(String bs, AtomicBoolean running, List<Long> latencies) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        parts.add(new TopicPartition("lat-out", i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (running.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
          latencies.add(System.currentTimeMillis() - r.timestamp());
        }
      }
    }
  }
}
