package dev.weir.it;

import dev.weir.KafkaClientSupplier;
import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The pipeline the status server ITs run: sensor readings {@code s<i % 3>:<i>} with event time
 * {@code 1_000_000 + i * 1000}, keyed by sensor through a repartition topic into a stateful
 * "latest" reduce (so a new instance restores), written to {@code sw-out}. Sub-topology 0 reads
 * {@code sw-in}; sub-topology 1 holds the state.
 */
final class StatusPipeline {
  static final String IN = "sw-in";
  static final String OUT = "sw-out";

  /** Out-of-orderness bound of the source's watermarks. */
  static final long BOUND_MS = 100;

  private StatusPipeline() {}

  static Topology topology() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic(IN, Serdes.String()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(BOUND_MS)),
            "readings")
        .keyBy(
            v -> v.substring(0, v.indexOf(':')),
            Serdes.String(),
            Repartition.<String>named("by-sensor").withValueSerde(Serdes.String()))
        .reduce((older, newer) -> newer)
        .uid("latest")
        .name("latest")
        .sinkTo(KafkaSink.topic(OUT, Serdes.String()));
    return b.build();
  }

  /** Event time of reading {@code i}. */
  static long timestamp(int i) {
    return 1_000_000L + i * 1000L;
  }

  /** The source task's watermark once it has read readings below {@code to}. */
  static long watermarkAfter(int to) {
    return timestamp(to - 1) - BOUND_MS - 1;
  }

  static Properties props(String bootstrap, Path stateDir) {
    Properties p = Pipelines.appProps(bootstrap, "status-web", stateDir);
    p.put(WeirConfig.STATUS_HTTP_PORT_CONFIG, 0);
    return p;
  }

  static void produce(String bootstrap, int from, int to) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        p.send(new ProducerRecord<>(IN, 0, timestamp(i), null, "s" + (i % 3) + ":" + i));
      }
      p.flush();
    }
  }

  /** One GET; the status code and body. */
  record Response(int status, String body) {}

  static Response get(String address, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + address + path))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /**
   * Holds the restore of changelog records: the restore consumer's first non-empty poll waits in
   * this interceptor until {@link #release()}, so a test sees the instance while it restores.
   */
  public static final class RestoreGate implements ConsumerInterceptor<byte[], byte[]> {
    private static volatile CountDownLatch reached = new CountDownLatch(1);
    private static volatile CountDownLatch released = new CountDownLatch(1);

    static void arm() {
      reached = new CountDownLatch(1);
      released = new CountDownLatch(1);
    }

    static boolean awaitReached(Duration timeout) throws InterruptedException {
      return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void release() {
      released.countDown();
    }

    /** Clients whose restore consumer carries this gate. */
    static KafkaClientSupplier clients() {
      KafkaClientSupplier plain = KafkaClientSupplier.defaults();
      return new KafkaClientSupplier() {
        @Override
        public org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer(
            Map<String, Object> config) {
          return plain.producer(config);
        }

        @Override
        public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer(
            Map<String, Object> config) {
          Map<String, Object> c = new HashMap<>(config);
          if (String.valueOf(c.get(ConsumerConfig.CLIENT_ID_CONFIG)).endsWith("restore-consumer")) {
            c.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, RestoreGate.class.getName());
          }
          return plain.consumer(c);
        }

        @Override
        public org.apache.kafka.clients.admin.Admin admin(Map<String, Object> config) {
          return plain.admin(config);
        }
      };
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
      reached.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }
}
