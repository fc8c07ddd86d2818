package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.functions.ResultFuture;
import dev.weir.functions.RichAsyncFunction;
import dev.weir.functions.RichMapFunction;
import dev.weir.stream.AsyncDataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W7: enrichment against a local service with a fixed 20 ms latency, one task (one input
 * partition), exactly-once. Weir's {@code AsyncDataStream.orderedWait} with capacity 100 against
 * its limit, capacity / latency = 5,000 records/s, and against a blocking {@code map} doing the
 * same call (the only option in Kafka Streams), which is bounded by 1 / latency = 50 records/s.
 *
 * <p>Unlike W1-W5 the contenders run inside the harness JVM, next to the service, so that the
 * service is the same object for both; CPU is the harness process's CPU time over the measured
 * interval (service, application and output reader together). The measured interval runs from the
 * first request to the moment the last output record became visible to a read_committed reader,
 * whose output is checked to be exactly every input once, in input order.
 */
final class W7Runner {
  static final long LATENCY_MS = 20;
  static final int CAPACITY = 100;
  static final double LIMIT = CAPACITY * 1000.0 / LATENCY_MS;

  /** First request of the current run, for the measured interval; the service is in this JVM. */
  static final AtomicLong FIRST_REQUEST_MS = new AtomicLong();

  private final Harness h;

  W7Runner(Harness harness) {
    this.h = harness;
  }

  /** One measured run. */
  record Result(
      String contender,
      int round,
      boolean ok,
      String check,
      int records,
      double rate,
      double seconds,
      double cpuSeconds) {}

  List<String> run() throws Exception {
    List<Result> results = new ArrayList<>();
    try {
      int asyncRecords = Math.min(h.options.records(), 50_000);
      int blockingRecords = Math.max(50, Math.min(h.options.records() / 100, 500));
      for (int round = 1; round <= h.options.rounds(); round++) {
        results.add(runOnce("weir", true, asyncRecords, round));
        h.out.println("  " + describe(results.get(results.size() - 1)));
        // For information: the same with 1 s commits, to show what committing every 100 ms costs
        // (requests stay in flight across commits, design record 015).
        results.add(runOnce("weir-commit-1s", true, asyncRecords, round));
        h.out.println("  " + describe(results.get(results.size() - 1)));
        results.add(runOnce("weir-blocking-map", false, blockingRecords, round));
        h.out.println("  " + describe(results.get(results.size() - 1)));
      }
    } finally {
      FIRST_REQUEST_MS.set(0);
    }
    double weir = median(results, "weir");
    double blocking = median(results, "weir-blocking-map");
    h.out.printf(
        Locale.ROOT,
        "W7 median: weir %.0f rec/s (1 s commits: %.0f), blocking map %.1f rec/s, limit %.0f"
            + " rec/s%n",
        weir,
        median(results, "weir-commit-1s"),
        blocking,
        LIMIT);
    boolean ok = results.stream().allMatch(Result::ok);
    return List.of(
        String.format(
            Locale.ROOT,
            "ratio W7 eos weir/limit=%.2f weir/blocking=%.1f%s",
            weir / LIMIT,
            weir / blocking,
            ok ? "" : " (output check FAILED)"));
  }

  private static String describe(Result r) {
    return String.format(
        Locale.ROOT,
        "W7 %-18s round %d: %,d records in %.2f s = %,.0f rec/s, CPU %.1f s, %s",
        r.contender(),
        r.round(),
        r.records(),
        r.seconds(),
        r.rate(),
        r.cpuSeconds(),
        r.check());
  }

  private static double median(List<Result> results, String contender) {
    double[] rates =
        results.stream()
            .filter(r -> r.contender().equals(contender))
            .mapToDouble(Result::rate)
            .sorted()
            .toArray();
    return rates.length == 0 ? 0 : rates[rates.length / 2];
  }

  private Result runOnce(String contender, boolean async, int records, int round) throws Exception {
    String appId = (h.prefix() + "-W7-" + contender + "-r" + round).toLowerCase(Locale.ROOT);
    String input = appId + "-in";
    String output = appId + "-out";
    h.topics.create(1, input, output);
    try (KafkaProducer<byte[], byte[]> p = Loader.producer(h.bootstrap, 0)) {
      for (int i = 0; i < records; i++) {
        p.send(
            new ProducerRecord<>(
                input, 0, null, Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
      }
      p.flush();
    }
    FIRST_REQUEST_MS.set(0);
    StreamBuilder b = new StreamBuilder();
    var in = b.fromSource(KafkaSource.topic(input, Serdes.String()), "in");
    var enriched =
        async
            ? AsyncDataStream.orderedWait(in, new AsyncLookup(), 60, TimeUnit.SECONDS, CAPACITY)
            : in.map(new BlockingLookup());
    enriched.name("enrich").sinkTo(KafkaSink.topic(output, Serdes.String()));
    Properties props = new Properties();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, appId);
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, h.bootstrap);
    props.put(
        WeirConfig.STATE_DIR_CONFIG,
        Files.createDirectories(h.runDir.resolve("state").resolve(appId)).toString());
    props.put(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.EXACTLY_ONCE);
    if (!async) {
      // A blocking call per record: a full poll of 500 would outlast the transaction timeout.
      props.put("consumer.max.poll.records", 10);
    }
    if (contender.endsWith("commit-1s")) {
      props.put(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, 1000L);
    }
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = -1;
    long doneMs;
    String check;
    boolean ok;
    try (WeirApplication app = new WeirApplication(b.build(), props);
        KafkaConsumer<byte[], byte[]> reader = reader()) {
      app.start();
      reader.assign(List.of(new TopicPartition(output, 0)));
      reader.seekToBeginning(List.of(new TopicPartition(output, 0)));
      int next = 0;
      int wrong = 0;
      long lastProgress = System.currentTimeMillis();
      while (next < records && System.currentTimeMillis() - lastProgress < 120_000) {
        if (cpuStart < 0 && FIRST_REQUEST_MS.get() != 0) {
          cpuStart = os.getProcessCpuTime();
        }
        for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(50))) {
          String v = new String(r.value(), StandardCharsets.UTF_8);
          if (!v.startsWith(next + ":room-")) {
            wrong++;
          }
          next++;
          lastProgress = System.currentTimeMillis();
        }
      }
      doneMs = System.currentTimeMillis();
      long cpuEnd = os.getProcessCpuTime();
      ok = next == records && wrong == 0;
      check =
          ok
              ? "output exactly once and in order"
              : "FAILED: " + next + " of " + records + " outputs, " + wrong + " out of place";
      double seconds = Math.max(1e-3, (doneMs - FIRST_REQUEST_MS.get()) / 1000.0);
      app.close(Duration.ofSeconds(30));
      return new Result(
          contender,
          round,
          ok,
          check,
          records,
          records / seconds,
          seconds,
          cpuStart < 0 ? -1 : (cpuEnd - cpuStart) / 1e9);
    } finally {
      h.topics.deleteQuietly(appId + "-", output);
      Harness.deleteTree(h.runDir.resolve("state").resolve(appId));
    }
  }

  private KafkaConsumer<byte[], byte[]> reader() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, h.bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  /**
   * The enrichment service: answers after exactly {@link #LATENCY_MS} on a timer thread, costing
   * next to no CPU, so that W7 measures Weir's async path rather than an HTTP stack (the JDK's
   * HttpClient and HttpServer took about 1.5 ms of CPU per request on this machine, which made the
   * first W7 runs CPU-bound, see docs/performance.md).
   */
  static CompletableFuture<String> lookup(String id) {
    FIRST_REQUEST_MS.compareAndSet(0, System.currentTimeMillis());
    CompletableFuture<String> f = new CompletableFuture<>();
    SERVICE.schedule(
        () -> f.complete(id + ":room-" + (id.hashCode() & 15)), LATENCY_MS, TimeUnit.MILLISECONDS);
    return f;
  }

  private static final ScheduledExecutorService SERVICE =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "w7-service");
            t.setDaemon(true);
            return t;
          });

  /** The async enrichment: one request per record, up to the capacity in flight. */
  static final class AsyncLookup extends RichAsyncFunction<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void asyncInvoke(String id, ResultFuture<String> result) {
      lookup(id)
          .whenComplete(
              (room, error) -> {
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(List.of(room));
                }
              });
    }
  }

  /** The same call, blocking, in a map: one request at a time per task. */
  static final class BlockingLookup extends RichMapFunction<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String map(String id) throws Exception {
      return lookup(id).get();
    }
  }
}
