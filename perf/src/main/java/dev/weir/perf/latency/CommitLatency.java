package dev.weir.perf.latency;

import dev.weir.KafkaClientSupplier;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.perf.BrokerJvm;
import dev.weir.perf.Event;
import dev.weir.perf.Percentiles;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Record-to-output latency under exactly-once at a fixed input rate: W1's pipeline (parse, filter,
 * enrich) on one broker, 4 input partitions, one stream thread, default settings ({@code
 * commit.interval.ms=100}). A load thread writes {@code rate} records/s stamped with the wall clock
 * (1 ms pacing); a read_committed consumer of the output measures {@code now - timestamp} as each
 * result becomes visible, so the figure includes the wait for the commit. After a warm-up ({@link
 * #WARM_UP_SECONDS}) it prints p50/p90/p99/max, the achieved input rate, the commits and their mean
 * duration, and the producer's retried records (the CONCURRENT_TRANSACTIONS stalls of
 * docs/performance.md).
 *
 * <p>Run: {@code java -cp <perf classpath> dev.weir.perf.latency.CommitLatency [records/s]
 * [seconds]} (defaults 100,000 and 30); {@code -Dweir.<setting>=<value>} adds an application
 * setting; {@code -Dinput.timestamps=broker} takes the input's time from the broker's append, which
 * leaves the load generator's producer out of the figure. The line also gives the CPU this JVM
 * (load, application and reader; the broker runs in a JVM of its own) used per second of the
 * measurement. The goal (issue #21): at half of W1's maximum throughput, p99 at most {@code
 * commit.interval.ms} + 50 ms.
 *
 * <p>The load and the reader share the machine with the application and the broker, so they are
 * kept cheap: the load cycles through {@link #RING} input lines encoded once ({@link #inputLines};
 * only the record timestamp, which the latency is taken from, is the send time), and the reader
 * decodes nothing and keeps latencies in a primitive array ({@link LatencyLog}).
 *
 * <p>Where a slow record's time went: {@link Stamps} splits each output record's latency at the
 * stream thread's poll, its send and its transaction's commit; {@link Breakdown} prints the parts
 * for the slowest records, {@link Sampler} what the machine, the stream thread, the broker and the
 * consumer's lag did meanwhile, and the broker's collector pauses come from its GC log. The broker
 * is the perf harness's ({@link BrokerJvm}), the one W1's maximum is measured on.
 */
public final class CommitLatency {
  private static final int PARTITIONS = 4;

  /**
   * The default warm-up before the measurement ({@code -Dwarmup.seconds} replaces it): 30 s, not
   * the 5 s before 2026-12-07, because in the first half minute both JVMs (the application's and
   * the broker's) still spend about a third of a core compiling, which on two shared cores starves
   * the stream thread; a run measured from 5 s on mostly measured that (docs/performance.md,
   * "Commit latency: the p99 tail is the stream thread starved of CPU").
   */
  static final long WARM_UP_SECONDS = 30;

  /** The load generator's default {@code linger.ms}. */
  static final long LOAD_LINGER_MS = 1;

  /** Distinct input lines the load cycles through: one per key of W1's 10,000. */
  static final int RING = 10_000;

  private CommitLatency() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path state = Files.createTempDirectory("weir-commit-latency");
    Path brokerGc = state.resolve("broker-gc.log");
    try (EmbeddedKafkaCluster kafka =
        EmbeddedKafkaCluster.builder()
            .brokers(1)
            .jvmOptions(brokerJvm(brokerGc))
            .startTimeout(Duration.ofMinutes(5))
            .start()) {
      String bs = kafka.bootstrapServers();
      // -Dinput.timestamps=broker: the input's timestamps (and so the outputs', which carry them)
      // are the broker's append times, so the latency leaves out the load generator's producer.
      boolean brokerTime = "broker".equals(System.getProperty("input.timestamps"));
      kafka.createTopic(
          "cl-in",
          PARTITIONS,
          brokerTime ? Map.of("message.timestamp.type", "LogAppendTime") : Map.of());
      if (brokerTime) {
        System.out.println("commit-latency input timestamps: the broker's append times");
      }
      kafka.createTopic("cl-out", PARTITIONS);
      StreamBuilder b = new StreamBuilder();
      b.fromSource(KafkaSource.topic("cl-in", Serdes.String()), "input")
          .map(Event::parse)
          .name("parse")
          .filter(Event::keep)
          .name("keep")
          .map(e -> KeyValue.of(e.key(), e.enrich()))
          .name("enrich")
          .sinkTo(KafkaSink.keyValues("cl-out", Serdes.String(), Serdes.String()));
      Properties p = new Properties();
      p.put(WeirConfig.APPLICATION_ID_CONFIG, "commit-latency");
      p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
      p.put(WeirConfig.STATE_DIR_CONFIG, state.toString());
      // Settings for experiments: -Dweir.<setting>=<value> (e.g. -Dweir.producer.linger.ms=10).
      System.getProperties()
          .stringPropertyNames()
          .forEach(
              k -> {
                if (k.startsWith("weir.")) {
                  p.put(k.substring("weir.".length()), System.getProperty(k));
                  System.out.println("commit-latency setting " + k + "=" + System.getProperty(k));
                }
              });
      List<Producer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
      List<Consumer<byte[], byte[]>> consumers = new CopyOnWriteArrayList<>();
      Stamps stamps = new Stamps("cl-out");
      Breakdown breakdown = new Breakdown(Long.getLong("slow.ms", 150));
      AtomicLong readerGap = new AtomicLong();
      AtomicLong loadGap = new AtomicLong();
      LatencyLog latencies = new LatencyLog((long) rate * seconds * 11 / 10 + 1024);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
      long sent;
      long measuredMs;
      long cpuBefore;
      long cpuNanos;
      Map<String, Long> before;
      Map<String, Long> after;
      Sampler samplerRef;
      Map<Long, Object[]> threadsBefore;
      Map<String, Long> brokerThreadsBefore;
      try (WeirApplication app =
          new WeirApplication(b.build(), p, clients(producers, consumers, stamps))) {
        app.start();
        Sampler sampler =
            new Sampler(kafka.brokerPid(0), "commit-latency-StreamThread-", consumers);
        sampler.start();
        Thread reader =
            new Thread(
                () -> read(bs, running, measureFrom, latencies, breakdown, readerGap),
                "latency-reader");
        reader.start();
        AtomicLong seq = new AtomicLong();
        byte[][][] lines = inputLines(System.currentTimeMillis());
        try (KafkaProducer<byte[], byte[]> load = loadProducer(bs)) {
          // The warm-up: -Dwarmup.seconds (default WARM_UP_SECONDS).
          long warmUpSeconds = Long.getLong("warmup.seconds", WARM_UP_SECONDS);
          System.out.println("commit-latency warm-up " + warmUpSeconds + " s");
          paced(load, lines, rate, warmUpSeconds * 1000, seq, new AtomicLong());
          before = snapshot(app, producers);
          long start = System.currentTimeMillis();
          cpuBefore = processCpuNanos();
          threadsBefore = sampler.threadCpu();
          brokerThreadsBefore = Sampler.processThreads(kafka.brokerPid(0));
          measureFrom.set(start);
          stamps.measureFrom(start);
          sent = paced(load, lines, rate, seconds * 1000L, seq, loadGap);
          measuredMs = System.currentTimeMillis() - start;
          cpuNanos = processCpuNanos() - cpuBefore;
          System.out.println(
              "commit-latency this JVM's busiest threads (percent of a core): "
                  + Sampler.topThreads(threadsBefore, sampler.threadCpu(), measuredMs, 8));
          System.out.println(
              "commit-latency the broker's busiest threads (percent of a core): "
                  + Sampler.topProcessThreads(
                      brokerThreadsBefore,
                      Sampler.processThreads(kafka.brokerPid(0)),
                      measuredMs,
                      8));
          load.flush();
          printLoadRequests(load);
        }
        // Let the last results become visible, then stop measuring.
        long deadline = System.currentTimeMillis() + 5_000;
        int seen = -1;
        while (latencies.size() != seen && System.currentTimeMillis() < deadline) {
          seen = latencies.size();
          Thread.sleep(500); // sampling the reader's count between checks
        }
        after = snapshot(app, producers);
        printThreadTails(app);
        printConsumerTails(consumers);
        sampler.finish();
        samplerRef = sampler;
        running.set(false);
        reader.join();
      }
      long end = measureFrom.get() + measuredMs;
      List<long[]> pauses = Breakdown.gcPauses(brokerGc);
      breakdown.print(stamps, pauses, samplerRef, measureFrom.get());
      System.out.printf(
          Locale.ROOT,
          "commit-latency gaps: the load's longest step %d ms, the stream thread's longest time"
              + " between polls returning records %d ms, the reader's longest poll %d ms;"
              + " broker GC during the measurement: %s%n",
          loadGap.get(),
          stamps.maxPollGapMs.get(),
          readerGap.get(),
          Breakdown.summary(pauses, measureFrom.get(), end + 5_000));
      System.out.println(
          "commit-latency the whole measurement: " + samplerRef.over(measureFrom.get(), end));
      long[] sorted = latencies.sorted();
      if (sorted.length == 0) {
        System.out.println("commit-latency: no output");
        System.exit(1);
      }
      long commits = after.get("commits") - before.get("commits");
      double commitMs =
          commits == 0
              ? 0
              : (after.get("commit-time-ns-total") - before.get("commit-time-ns-total"))
                  / 1e6
                  / commits;
      System.out.printf(
          Locale.ROOT,
          "commit-latency rate=%d/s (achieved %.0f/s) n=%d p50=%dms p90=%dms p99=%dms max=%dms"
              + " commits=%d mean-commit=%.1fms producer-retried-records=%d cpu=%.2f cores load=%s"
              + " (commit.interval.ms=100, exactly_once)%n",
          rate,
          sent * 1000.0 / measuredMs,
          sorted.length,
          Percentiles.nearestRank(sorted, 50),
          Percentiles.nearestRank(sorted, 90),
          Percentiles.nearestRank(sorted, 99),
          sorted[sorted.length - 1],
          commits,
          commitMs,
          after.get("retries") - before.get("retries"),
          cpuNanos / 1e6 / measuredMs,
          String.format(
              Locale.ROOT,
              "%.1f",
              ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }
  }

  /**
   * Prints the stream thread's windowed tail metrics (every {@code thread-metrics} gauge named
   * {@code *-max} or {@code *-p99}, such as {@code commit-latency-max} and {@code
   * process-latency-p99}), so that a run whose record-to-output p99 is high says whether the
   * commits or the processing had the long pauses.
   */
  private static void printThreadTails(WeirApplication app) {
    StringBuilder line = new StringBuilder("commit-latency thread tails:");
    app.metrics().entrySet().stream()
        .filter(e -> e.getKey().group().equals("thread-metrics"))
        .filter(e -> e.getKey().name().endsWith("-max") || e.getKey().name().endsWith("-p99"))
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(MetricName::name)))
        .forEach(
            e ->
                line.append(' ')
                    .append(e.getKey().name())
                    .append('=')
                    .append(e.getValue().metricValue()));
    System.out.println(line);
  }

  /**
   * The broker's JVM: by default the perf harness's ({@link BrokerJvm#OPTIONS}: G1, a fixed 1 GiB
   * heap, the full JIT), on which W1's maximum throughput is measured; with {@code
   * -Dbroker.jvm=testkit} the testkit's fast-start default (the serial collector, C1 only), which
   * this tool used before 2026-12-07. Either way with the collector's pauses logged to {@code
   * gcLog}.
   */
  static List<String> brokerJvm(Path gcLog) {
    List<String> options =
        new ArrayList<>(
            "testkit".equals(System.getProperty("broker.jvm"))
                ? EmbeddedKafkaCluster.DEFAULT_JVM_OPTIONS
                : BrokerJvm.OPTIONS);
    options.add("-Xlog:gc:file=" + gcLog + ":timemillis");
    System.out.println("commit-latency broker JVM: " + String.join(" ", options));
    return options;
  }

  /**
   * Prints the application consumers' fetch tails ({@code records-lag-max}, {@code
   * fetch-latency-max}, {@code fetch-throttle-time-max}; Kafka keeps them over its last two 30 s
   * sample windows): a record waiting long before the thread's poll returns it is either a backlog
   * (a high lag: the thread falls behind) or a slow fetch.
   */
  private static void printConsumerTails(List<Consumer<byte[], byte[]>> consumers) {
    StringBuilder line = new StringBuilder("commit-latency consumer tails:");
    for (Consumer<byte[], byte[]> c : consumers) {
      for (Map.Entry<MetricName, ? extends Metric> e : c.metrics().entrySet()) {
        MetricName n = e.getKey();
        if (n.group().equals("consumer-fetch-manager-metrics")
            && n.tags().get("topic") == null
            && List.of("records-lag-max", "fetch-latency-max", "fetch-throttle-time-max")
                .contains(n.name())) {
          line.append(' ')
              .append(n.tags().getOrDefault("client-id", "?"))
              .append(' ')
              .append(n.name())
              .append('=')
              .append(e.getValue().metricValue());
        }
      }
    }
    System.out.println(line);
  }

  /** How many records the load generator's produce requests carried: its cost to the broker. */
  private static void printLoadRequests(KafkaProducer<byte[], byte[]> load) {
    StringBuilder line = new StringBuilder("commit-latency load producer:");
    for (Map.Entry<MetricName, ? extends Metric> e : load.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.group().equals("producer-metrics")
          && List.of("request-total", "records-per-request-avg", "record-queue-time-max")
              .contains(n.name())) {
        line.append(' ').append(n.name()).append('=').append(e.getValue().metricValue());
      }
    }
    System.out.println(line);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The load generator's producer: {@code linger.ms} from {@code -Dload.linger.ms} (default {@value
   * #LOAD_LINGER_MS}), so that it sends few, full requests: each produce request costs the shared
   * broker CPU the application then lacks.
   */
  private static KafkaProducer<byte[], byte[]> loadProducer(String bs) {
    Map<String, Object> pc = new HashMap<>();
    pc.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    long linger = Long.getLong("load.linger.ms", LOAD_LINGER_MS);
    System.out.println("commit-latency load linger.ms=" + linger);
    pc.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
    pc.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return new KafkaProducer<>(pc, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * The input lines the load cycles through, encoded once: for {@code s} in {@code [0, RING)}, the
   * key {@code k<s>} and W1's line for sequence number {@code s} (10% in category {@code c0}, which
   * the filter drops), event time {@code eventTime}. Element {@code [s]} is {@code {key, value}}.
   *
   * @param eventTime the event time written into every line (W1 does not read it)
   * @return {@link #RING} key and value pairs, UTF-8
   */
  static byte[][][] inputLines(long eventTime) {
    byte[][][] lines = new byte[RING][][];
    for (int s = 0; s < RING; s++) {
      String key = "k" + s;
      String line =
          new Event(
                  s,
                  key,
                  eventTime,
                  100 + s % 9_900,
                  "c" + (s % 10),
                  "payload-of-about-forty-bytes")
              .toLine();
      lines[s] =
          new byte[][] {
            key.getBytes(StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8)
          };
    }
    return lines;
  }

  /**
   * Sends {@code rate} records/s for {@code ms}, in steps of 1 ms; returns how many it sent. {@code
   * longestStep} gets the longest time between two steps (a stalled generator sends late).
   */
  private static long paced(
      KafkaProducer<byte[], byte[]> load,
      byte[][][] lines,
      int rate,
      long ms,
      AtomicLong seq,
      AtomicLong longestStep)
      throws InterruptedException {
    long start = System.nanoTime();
    long sent = 0;
    long previous = start;
    while (true) {
      long nowNs = System.nanoTime();
      longestStep.accumulateAndGet((nowNs - previous) / 1_000_000, Math::max);
      previous = nowNs;
      long elapsedNs = nowNs - start;
      if (elapsedNs >= ms * 1_000_000L) {
        return sent;
      }
      long due = elapsedNs * rate / 1_000_000_000L;
      long now = System.currentTimeMillis();
      for (; sent < due; sent++) {
        long s = seq.getAndIncrement();
        byte[][] kv = lines[(int) (s % RING)];
        load.send(new ProducerRecord<>("cl-in", (int) (s % PARTITIONS), now, kv[0], kv[1]));
      }
      Thread.sleep(1); // the load's pace, not a wait for a condition
    }
  }

  /** The thread's commit counters and the producers' retried records. */
  private static Map<String, Long> snapshot(
      WeirApplication app, List<Producer<byte[], byte[]>> producers) {
    Map<String, Long> m = new HashMap<>(app.metricsSnapshot());
    long retries = 0;
    for (Producer<byte[], byte[]> pr : producers) {
      for (Map.Entry<MetricName, ? extends Metric> e : pr.metrics().entrySet()) {
        if (e.getKey().name().equals("record-retry-total")
            && e.getKey().group().equals("producer-metrics")) {
          retries += ((Number) e.getValue().metricValue()).longValue();
        }
      }
    }
    m.put("retries", retries);
    m.putIfAbsent("commits", 0L);
    m.putIfAbsent("commit-time-ns-total", 0L);
    return m;
  }

  /** Kafka's clients, keeping the application's producers to read their retry counts. */
  private static KafkaClientSupplier clients(
      List<Producer<byte[], byte[]>> producers,
      List<Consumer<byte[], byte[]>> consumers,
      Stamps stamps) {
    return new KafkaClientSupplier() {
      @Override
      public Producer<byte[], byte[]> producer(Map<String, Object> config) {
        Producer<byte[], byte[]> pr =
            new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        producers.add(pr);
        return stamps.producer(pr);
      }

      @Override
      public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumers.add(c);
        return stamps.consumer(c);
      }

      @Override
      public Admin admin(Map<String, Object> config) {
        return Admin.create(config);
      }
    };
  }

  /** A deserializer that reads nothing: the reader needs only each record's timestamp. */
  private static final Deserializer<Object> IGNORED = (topic, data) -> null;

  private static void read(
      String bs,
      AtomicBoolean running,
      AtomicLong measureFrom,
      LatencyLog latencies,
      Breakdown breakdown,
      AtomicLong longestPoll) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    try (KafkaConsumer<Object, Object> consumer = new KafkaConsumer<>(c, IGNORED, IGNORED)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        parts.add(new TopicPartition("cl-out", i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (running.get()) {
        long before = System.currentTimeMillis();
        ConsumerRecords<Object, Object> records = consumer.poll(Duration.ofMillis(10));
        long now = System.currentTimeMillis();
        if (before >= measureFrom.get()) {
          longestPoll.accumulateAndGet(now - before, Math::max);
        }
        for (ConsumerRecord<Object, Object> r : records) {
          if (r.timestamp() >= measureFrom.get()) { // written after the warm-up
            latencies.add(now - r.timestamp());
            breakdown.add(r.timestamp(), now, Stamps.decode(r.headers().lastHeader(Stamps.HEADER)));
          }
        }
      }
    }
  }
}
