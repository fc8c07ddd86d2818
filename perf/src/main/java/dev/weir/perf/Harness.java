package dev.weir.perf;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * What every workload run shares: the broker (started here unless {@code --bootstrap} names one),
 * the topics admin, the loaded data set, the run directory, and launching contender JVMs.
 */
final class Harness implements AutoCloseable {
  /** Broker JVM settings: {@link BrokerJvm#OPTIONS}. */
  static final List<String> BROKER_JVM = BrokerJvm.OPTIONS;

  final PerfOptions options;
  final PrintStream out;
  final String runId;
  final Path runDir;
  private final EmbeddedKafkaCluster kafka;
  final String bootstrap;
  final Topics topics;
  final LongSupplier brokerCpu;
  private Dataset data;
  private String inputTopic;
  private Dataset keyedData;
  private String keyedInputTopic;
  private Dataset joinData;
  private long[] joinPairs;
  private List<String> joinTopics;

  private Harness(PerfOptions options, PrintStream out, EmbeddedKafkaCluster kafka, String bs) {
    this.options = options;
    this.out = out;
    this.runId = Long.toString(System.currentTimeMillis(), 36);
    this.runDir = options.workDir().toAbsolutePath().resolve("run-" + runId);
    this.kafka = kafka;
    this.bootstrap = bs;
    this.topics = new Topics(bs);
    long brokerPid = kafka == null ? -1 : kafka.brokerPid(0);
    this.brokerCpu = () -> brokerPid < 0 ? -1 : ProcStats.cpuNanos(brokerPid);
  }

  static Harness start(PerfOptions options, PrintStream out) {
    if (options.bootstrap() != null) {
      return new Harness(options, out, null, options.bootstrap());
    }
    out.println("Starting a Kafka broker (KRaft, child JVM, " + String.join(" ", BROKER_JVM) + ")");
    // On a machine shared with other builds the broker has taken more than the testkit's default
    // 90 s to open its port; a slow start is not what the harness measures.
    EmbeddedKafkaCluster kafka =
        EmbeddedKafkaCluster.builder()
            .brokers(1)
            .jvmOptions(BROKER_JVM)
            // A shared, loaded machine can take longer than the default 90 s to start a broker.
            .startTimeout(java.time.Duration.ofMinutes(5))
            .start();
    try {
      out.printf(
          Locale.ROOT,
          "Kafka ready at %s in %.1f s%n",
          kafka.bootstrapServers(),
          kafka.startupTime().toMillis() / 1000.0);
      return new Harness(options, out, kafka, kafka.bootstrapServers());
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  /** Topic and application id prefix of this run. */
  String prefix() {
    return "perf-" + runId;
  }

  /** The shared W1-W3 data set, generated and loaded on first use. */
  Dataset data() throws InterruptedException {
    if (data == null) {
      Dataset d =
          new Dataset(options.records(), options.keys(), options.partitions(), Dataset.defaultT0());
      String topic = prefix() + "-input";
      topics.create(options.partitions(), topic);
      long begin = System.nanoTime();
      long n = Loader.load(bootstrap, topic, d);
      double s = (System.nanoTime() - begin) / 1e9;
      out.printf(
          Locale.ROOT,
          "Loaded %,d records into %s (%d partitions) in %.1f s%n",
          n,
          topic,
          options.partitions(),
          s);
      data = d;
      inputTopic = topic;
    }
    return data;
  }

  /**
   * W2K's data set: the same records as {@link #data()}, generated again with their keys as record
   * keys, each in its key's partition ({@link Dataset#partitionForKey}), and loaded into a topic of
   * its own on first use.
   */
  Dataset keyedData() throws InterruptedException {
    if (keyedData == null) {
      Dataset d =
          new Dataset(
              options.records(), options.keys(), options.partitions(), Dataset.defaultT0(), true);
      String topic = prefix() + "-input-keyed";
      topics.create(options.partitions(), topic);
      long begin = System.nanoTime();
      long n = Loader.load(bootstrap, topic, d);
      double s = (System.nanoTime() - begin) / 1e9;
      out.printf(
          Locale.ROOT,
          "Loaded %,d records keyed by their key into %s (%d partitions) in %.1f s%n",
          n,
          topic,
          options.partitions(),
          s);
      keyedData = d;
      keyedInputTopic = topic;
    }
    return keyedData;
  }

  String keyedInputTopic() throws InterruptedException {
    keyedData();
    return keyedInputTopic;
  }

  /**
   * W6's data set: the same records as {@link #data()}, generated again and loaded into two topics
   * (even sequence numbers left, odd right) on first use, with the expected pairs.
   */
  Dataset joinData() throws InterruptedException {
    if (joinData == null) {
      Dataset d =
          new Dataset(options.records(), options.keys(), options.partitions(), Dataset.defaultT0());
      List<String> names = List.of(prefix() + "-left", prefix() + "-right");
      topics.create(options.partitions(), names.toArray(String[]::new));
      long begin = System.nanoTime();
      long n = Loader.loadSplit(bootstrap, names.get(0), names.get(1), d);
      double s = (System.nanoTime() - begin) / 1e9;
      joinPairs = W6Pairs.compute(d);
      out.printf(
          Locale.ROOT,
          "Loaded %,d records into %s and %s (%d partitions each) in %.1f s; %,d pairs expected%n",
          n,
          names.get(0),
          names.get(1),
          options.partitions(),
          s,
          joinPairs.length);
      joinData = d;
      joinTopics = names;
    }
    return joinData;
  }

  /** W6's expected pair ids (see {@link W6Pairs}). */
  long[] joinPairs() throws InterruptedException {
    joinData();
    return joinPairs;
  }

  /** W6's two input topics, left first. */
  List<String> joinTopics() throws InterruptedException {
    joinData();
    return joinTopics;
  }

  String inputTopic() throws InterruptedException {
    data();
    return inputTopic;
  }

  /**
   * The environment variable that sets JFR's execution sampling period in milliseconds for {@code
   * --profile} (JFR's {@code profile} settings sample every 10 ms, a few hundred samples per W1 run
   * on a loaded machine), and of its native-method sampling, with every park recorded (for the
   * processing thread's wall clock in {@link JfrSummary}); unset: the {@code profile} settings
   * alone.
   */
  static final String JFR_SAMPLE_MS_ENV = "PERF_JFR_SAMPLE_MS";

  /**
   * The environment variable whose whitespace-separated words are added to every contender JVM's
   * options, after the harness's own (for example {@code -XX:NativeMemoryTracking=summary
   * -Xlog:gc:file=/tmp/gc-%p.log}); unset or blank: none.
   */
  static final String JVM_OPTS_ENV = "PERF_JVM_OPTS";

  /** The words of {@link #JVM_OPTS_ENV}'s value, or none when it is null or blank. */
  static List<String> extraJvmOptions(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return List.of(value.trim().split("\\s+"));
  }

  /**
   * The options that set the library's log level ({@code --weir-log}) in a contender's JVM: for the
   * Weir contenders only, none when no level is given.
   *
   * @param contender the contender's name
   * @param weirLogLevel the level, or null
   * @return the JVM options
   */
  static List<String> weirLogOptions(String contender, String weirLogLevel) {
    boolean weir =
        contender.equals(Contenders.WEIR) || contender.equals(Contenders.WEIR_SESSION_ONLY);
    if (!weir || weirLogLevel == null) {
      return List.of();
    }
    return List.of("-Dorg.slf4j.simpleLogger.log.dev.weir=" + weirLogLevel);
  }

  /**
   * {@code ,settings=FILE} for a settings file, written into {@code dir}, that overrides only the
   * execution sampling period, when {@link #JFR_SAMPLE_MS_ENV} is set; otherwise empty.
   */
  private static String samplingSettings(Path dir) throws IOException {
    String ms = System.getenv(JFR_SAMPLE_MS_ENV);
    if (ms == null || ms.isBlank()) {
      return "";
    }
    int period = Integer.parseInt(ms.trim());
    Path file = dir.resolve("sampling-" + period + "ms.jfc");
    Files.writeString(
        file,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<configuration version=\"2.0\" label=\"execution samples every "
            + period
            + " ms\">\n"
            + "  <event name=\"jdk.ExecutionSample\">\n"
            + "    <setting name=\"enabled\">true</setting>\n"
            + "    <setting name=\"period\">"
            + period
            + " ms</setting>\n"
            + "  </event>\n"
            // Wall clock of the processing thread: where it waits in native code (a poll's
            // select) and how long it parks (a commit's wait for the producer's I/O thread).
            + "  <event name=\"jdk.NativeMethodSample\">\n"
            + "    <setting name=\"enabled\">true</setting>\n"
            + "    <setting name=\"period\">"
            + period
            + " ms</setting>\n"
            + "  </event>\n"
            + "  <event name=\"jdk.ThreadPark\">\n"
            + "    <setting name=\"enabled\">true</setting>\n"
            + "    <setting name=\"stackTrace\">true</setting>\n"
            + "    <setting name=\"threshold\">0 ms</setting>\n"
            + "  </event>\n"
            + "</configuration>\n");
    return ",settings=" + file;
  }

  /**
   * Launches a contender JVM with the settings every contender gets. The Flink contender's JVM runs
   * on its own module's classpath ({@link PerfOptions#flinkClasspath}), with the JDK access Flink
   * needs ({@link Contenders#FLINK_JVM}).
   */
  JavaProcess launch(ContenderSpec spec, String name) throws IOException {
    List<String> jvm = new ArrayList<>();
    boolean flink = spec.contender().equals(Contenders.FLINK);
    if (flink) {
      jvm.addAll(Contenders.FLINK_JVM);
    }
    jvm.add("-Xmx" + options.heap());
    jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + options.childLogLevel());
    jvm.addAll(weirLogOptions(spec.contender(), options.weirLogLevel()));
    // Wall-clock times in the contenders' logs, to line their steps up with the harness's events.
    jvm.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    jvm.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    if (options.profiles(spec.contender())) {
      Path jfr = runDir.resolve("jfr").resolve(name + ".jfr");
      Files.createDirectories(jfr.getParent());
      jvm.add(
          "-XX:StartFlightRecording=filename="
              + jfr
              + ",settings=profile"
              + samplingSettings(jfr.getParent())
              + ",dumponexit=true");
    }
    jvm.addAll(extraJvmOptions(System.getenv(JVM_OPTS_ENV)));
    Files.createDirectories(spec.statusFile().getParent());
    Files.createDirectories(spec.stateDir());
    JavaProcess.Builder b = JavaProcess.builder(ContenderMain.class);
    if (flink) {
      if (options.flinkClasspath() == null) {
        throw new IllegalStateException("the Flink contender was not built (perf/run.sh --flink)");
      }
      b.classpath(options.flinkClasspath());
    }
    return b.name(name)
        .args(spec.toArgs())
        .jvmOptions(jvm)
        .logFile(runDir.resolve("logs").resolve(name + ".log"))
        .start();
  }

  ContenderSpec spec(
      Workload w,
      String contender,
      Mode mode,
      String phase,
      List<String> inputs,
      String output,
      String appId) {
    return new ContenderSpec(
        w.name(),
        contender,
        mode,
        phase,
        bootstrap,
        inputs,
        output,
        appId,
        runDir.resolve("state").resolve(appId),
        runDir.resolve("status").resolve(appId + "-" + phase + "-" + System.nanoTime()),
        options.threads());
  }

  /** Describes why a contender cannot go on, or null while it runs. */
  static String problem(JavaProcess child, Path statusFile) {
    return problem(child, StatusFile.read(statusFile));
  }

  /** Describes why a contender cannot go on, given its status, or null while it runs. */
  static String problem(JavaProcess child, Map<String, String> status) {
    if (status.containsKey("failed")) {
      return "contender failed: " + status.get("failed") + logTail(child);
    }
    if (!child.isAlive()) {
      return "contender JVM exited with code " + child.exitCode().orElse(-1) + logTail(child);
    }
    return null;
  }

  static String logTail(JavaProcess child) {
    try {
      return "\n    log "
          + child.logFile()
          + ":\n      "
          + String.join("\n      ", child.logTail(15));
    } catch (UncheckedIOException e) {
      return "";
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("perf: could not delete " + dir + ": " + e);
    }
  }

  @Override
  public void close() {
    try {
      if (inputTopic != null) {
        topics.deleteQuietly(null, inputTopic);
      }
      if (keyedInputTopic != null) {
        topics.deleteQuietly(null, keyedInputTopic);
      }
      if (joinTopics != null) {
        topics.deleteQuietly(null, joinTopics.toArray(String[]::new));
      }
      topics.close();
    } finally {
      deleteTree(runDir.resolve("state"));
      if (kafka != null) {
        kafka.close();
      }
    }
  }
}
