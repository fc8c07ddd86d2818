package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event time on a real broker: watermarks generated per source partition, carried by markers
 * through a repartition topic from every upstream task to every downstream one, firing event-time
 * timers exactly once, across a restart of the application.
 */
class EventTimeIT {
  private static final int PARTITIONS = 3;

  @TempDir Path tmp;

  /** Registers an event-time timer at each record's timestamp; the timer emits "key@time". */
  static final class TimerPerRecord extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      if (!v.startsWith("flush")) {
        ctx.timerService().registerEventTimeTimer(ctx.timestamp());
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      out.collect(ctx.getCurrentKey() + "@" + timestamp);
    }
  }

  static Topology topology() {
    return topology("et-in", "et-out");
  }

  static Topology topology(String in, String out) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic(in, Serdes.String()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(500)),
            "in")
        .keyBy(
            v -> v.substring(0, v.indexOf(':')),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .process(new TimerPerRecord())
        .uid("timers")
        .sinkTo(KafkaSink.topic(out, Serdes.String()));
    return b.build();
  }

  /**
   * Writes records "k<i % 10>:<i>" with timestamp 10_000 + i * 100, round robin over partitions.
   */
  private static void produce(String bootstrap, int from, int to) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        p.send(
            new ProducerRecord<>(
                "et-in", i % PARTITIONS, 10_000L + i * 100L, null, "k" + (i % 10) + ":" + i));
      }
      p.flush();
    }
  }

  /** One record per partition far ahead in event time: every partition's watermark passes all. */
  private static void flush(String bootstrap, long time) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int part = 0; part < PARTITIONS; part++) {
        p.send(new ProducerRecord<>("et-in", part, time, null, "flush" + part + ":0"));
      }
      p.flush();
    }
  }

  /**
   * A backlog whose partitions lie 20 s apart in event time, read by one thread with polls of 20
   * records: with fetch alignment on (1 s drift, so partitions 1 and 2 wait for partition 0) and
   * off, every timer fires exactly once and the two outputs hold the same records.
   */
  @Test
  void fetchAlignmentChangesNothingButTheOrderOfReading() {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("skew-in", PARTITIONS);
      List<String> expected = new java.util.ArrayList<>();
      Map<String, Object> c = new HashMap<>();
      c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
        for (int part = 0; part < PARTITIONS; part++) {
          for (int j = 0; j < 200; j++) {
            long t = 10_000L + part * 20_000L + j * 100L;
            String key = "k" + part + (j % 10);
            p.send(new ProducerRecord<>("skew-in", part, t, null, key + ":" + j));
            expected.add(key + "@" + t);
          }
          p.send(new ProducerRecord<>("skew-in", part, 200_000L, null, "flush" + part + ":0"));
        }
        p.flush();
      }
      java.util.Collections.sort(expected);
      for (long drift : new long[] {0, 1_000}) {
        String out = "skew-out-" + drift;
        kafka.createTopic(out, PARTITIONS);
        Properties props = Pipelines.appProps(bs, "skew-" + drift, tmp.resolve("skew-" + drift));
        props.put(WeirConfig.WATERMARK_ALIGNMENT_MAX_DRIFT_MS_CONFIG, drift);
        props.put("consumer.max.poll.records", 20);
        try (WeirApplication app = new WeirApplication(topology("skew-in", out), props)) {
          app.start();
          List<String> got =
              new java.util.ArrayList<>(
                  Pipelines.readCommitted(bs, out, expected.size(), Duration.ofSeconds(60)));
          java.util.Collections.sort(got);
          assertThat(got).as("drift " + drift).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void watermarksCrossTheRepartitionTopicAndFireEveryTimerOnce() {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("et-in", PARTITIONS);
      kafka.createTopic("et-out", PARTITIONS);
      Properties props = Pipelines.appProps(bs, "event-time", tmp.resolve("a"));
      props.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 2);
      props.put(WeirConfig.WATERMARK_INTERVAL_MS_CONFIG, 50);
      // Records i < 300 have timestamps below 40_000.
      produce(bs, 0, 300);
      flush(bs, 40_500); // watermark 40_500 - 500 - 1 = 39_999 on every partition
      try (WeirApplication app = new WeirApplication(topology(), props)) {
        app.start();
        List<String> out = Pipelines.readCommitted(bs, "et-out", 300, Duration.ofSeconds(60));
        assertThat(out).hasSize(300).doesNotHaveDuplicates();
      }
      // A second run on the same state: watermarks resume from the committed offsets' metadata,
      // so nothing fires twice, and the new records' timers fire once the watermark passes them.
      produce(bs, 300, 400);
      flush(bs, 60_000);
      try (WeirApplication app = new WeirApplication(topology(), props)) {
        app.start();
        List<String> out = Pipelines.readCommitted(bs, "et-out", 400, Duration.ofSeconds(60));
        assertThat(out).hasSize(400).doesNotHaveDuplicates();
        for (int i = 0; i < 400; i++) {
          assertThat(out).contains("k" + (i % 10) + "@" + (10_000L + i * 100L));
        }
      }
    }
  }
}
