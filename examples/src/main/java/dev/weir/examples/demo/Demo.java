package dev.weir.examples.demo;

import dev.weir.examples.demo.Expected.Tally;
import dev.weir.examples.demo.Generator.Sent;
import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The README's first command ({@code ./demo.sh}): a Kafka broker, a generator of sensor readings,
 * and the {@link SensorPipeline} on two instances in separate JVMs with exactly-once; midway one
 * instance is killed with {@code kill -9} and started again. At the end the output is checked
 * against the expected result computed from the generated readings ({@link Expected}).
 *
 * <p>Usage: {@code Demo [--bootstrap-servers host:port] [--records N] [--web-port PORT]}; with
 * {@code --web-port}, instance A (the one not killed) serves its status page on that port of
 * 127.0.0.1 while the demo runs. Exits with 0 when the output is exactly the expected one, 1 when
 * it is not, 2 when the demo could not run.
 */
public final class Demo {
  static final int PARTITIONS = 4;
  static final int SENSORS = 20;

  /** Event time runs this many times faster than the wall clock. */
  static final int SPEED = 4;

  private Demo() {}

  /**
   * The demo's settings.
   *
   * @param bootstrapServers a Kafka cluster to use, or null for an embedded broker
   * @param records how many readings to generate (besides the late ones and the final ones)
   * @param workDir where logs and the instances' state go
   * @param webPort the status server port of instance A, or -1 for none
   */
  record Options(String bootstrapServers, int records, Path workDir, int webPort) {
    static Options parse(String[] args) {
      String bootstrap = null;
      int records = 24_000;
      int webPort = -1;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--bootstrap-servers" -> bootstrap = value(args, ++i);
          case "--records" -> records = Integer.parseInt(value(args, ++i));
          case "--web-port" -> webPort = Integer.parseInt(value(args, ++i));
          default ->
              throw new IllegalArgumentException(
                  "Unknown argument "
                      + args[i]
                      + "; usage: [--bootstrap-servers host:port] [--records N]"
                      + " [--web-port PORT]");
        }
      }
      if (records < SENSORS * 10) {
        throw new IllegalArgumentException("--records must be at least " + SENSORS * 10);
      }
      if (webPort < -1 || webPort == 0 || webPort > 65535) {
        throw new IllegalArgumentException(
            "--web-port must be a port number from 1 to 65535, got " + webPort);
      }
      return new Options(bootstrap, records, Path.of("target", "demo").toAbsolutePath(), webPort);
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }
  }

  /**
   * What the demo found.
   *
   * @param windows window averages compared with the expected ones
   * @param alerts rise alerts compared with the expected ones
   * @param late late readings compared with the expected ones
   * @param malformed output records that could not be parsed
   * @param caughtUp whether the pipeline processed everything before the deadline
   */
  record Result(Tally windows, Tally alerts, Tally late, int malformed, boolean caughtUp) {
    int lost() {
      return windows.lost() + alerts.lost() + late.lost();
    }

    int duplicated() {
      return windows.duplicated() + alerts.duplicated() + late.duplicated();
    }

    int wrong() {
      return windows.wrong() + alerts.wrong() + late.wrong() + malformed;
    }

    boolean ok() {
      return lost() == 0 && duplicated() == 0 && wrong() == 0 && caughtUp;
    }

    String line() {
      return "lost=" + lost() + " duplicated=" + duplicated() + " wrong=" + wrong();
    }
  }

  /**
   * Runs the demo and exits: 0 when the output is correct, 1 when it is not, 2 on failure.
   *
   * @param args {@code [--bootstrap-servers host:port] [--records N]}
   */
  public static void main(String[] args) {
    int code;
    try {
      Options options = Options.parse(args);
      Files.createDirectories(options.workDir());
      // This JVM's own Kafka clients log to a file, so that the console shows only the demo.
      System.setProperty(
          "org.slf4j.simpleLogger.logFile", options.workDir().resolve("demo.log").toString());
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
      System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
      code = run(options, System.out).ok() ? 0 : 1;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println();
      System.err.println("The demo failed: " + e);
      e.printStackTrace();
      code = 2;
    }
    System.exit(code);
  }

  /**
   * Runs the demo, printing to {@code console}; every process it started is stopped when it returns
   * or throws.
   *
   * @param options the settings
   * @param console where to print
   * @return what the demo found
   * @throws Exception when the demo could not run
   */
  static Result run(Options options, PrintStream console) throws Exception {
    long t0 = System.nanoTime();
    String run = Long.toString(System.currentTimeMillis(), 36);
    Path dir = options.workDir().resolve(run);
    Files.createDirectories(dir);
    DemoTopics topics = DemoTopics.forRun(run);
    String applicationId = "weir-demo-" + run;
    console.println("Weir demo: an exactly-once event-time pipeline on Kafka, checked end to end.");
    console.println();
    EmbeddedKafkaCluster kafka = null;
    List<Instance> instances = new ArrayList<>();
    Admin admin = null;
    try {
      String bootstrap = options.bootstrapServers();
      if (bootstrap == null) {
        console.print("  kafka      starting an embedded broker (KRaft, in a child JVM)... ");
        console.flush();
        // [docs:embedded-cluster]
        kafka = EmbeddedKafkaCluster.builder().brokers(1).logDirectory(dir).start();
        bootstrap = kafka.bootstrapServers();
        // [/docs:embedded-cluster]
        console.printf(
            "ready at %s in %.1f s%n", bootstrap, kafka.startupTime().toMillis() / 1000.0);
      } else {
        console.println("  kafka      " + bootstrap);
      }
      admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
      createTopics(admin, topics.all());
      console.printf(
          "  topics     %s (%d partitions), -averages, -alerts, -late-readings%n",
          topics.readings(), PARTITIONS);
      console.println("  pipeline   readings -> keyBy(sensor) -> 5 s event-time windows: average");
      console.println(
          "                                       -> rising for 1 s: keyed state + timers");
      console.println(
          "                                       -> too late for the window: side output");
      for (String name : List.of("A", "B")) {
        // Only A serves a status page: B is killed midway, A stays up the whole run.
        int webPort = name.equals("A") ? options.webPort() : -1;
        instances.add(new Instance(name, bootstrap, applicationId, run, dir, webPort));
      }
      for (Instance i : instances) {
        i.start();
      }
      console.printf(
          "  instances  A (pid %d) and B (pid %d): separate JVMs, exactly_once; logs in %s%n",
          instances.get(0).pid(), instances.get(1).pid(), dir);
      if (options.webPort() > 0) {
        console.printf(
            "  status     http://127.0.0.1:%d/ (instance A's status page; /metrics, /health,"
                + " /ready)%n",
            options.webPort());
      }
      awaitRunning(instances, Duration.ofSeconds(120));
      int ticks = options.records() / SENSORS;
      console.printf(
          "  readings   %,d from %d sensors, one per sensor every %d ms of event time (%dx real"
              + " time);%n             1 in 12 out of order by up to 1.5 s, a few late on"
              + " purpose%n%n",
          ticks * SENSORS, SENSORS, Generator.TICK_MS, SPEED);

      long start = System.currentTimeMillis() / 60_000 * 60_000;
      Generator generator = new Generator(42, SENSORS, PARTITIONS, start);
      boolean caughtUp;
      try (Writer writer = new Writer(bootstrap, topics.readings());
          Outputs outputs = new Outputs(bootstrap, topics);
          CatchUp catchUp = new CatchUp(admin, bootstrap, applicationId, topics.readings())) {
        Progress progress = new Progress(console, t0, instances, outputs, catchUp, writer);
        generate(generator, ticks, writer, outputs, instances.get(1), progress);
        writer.send(generator.finish());
        writer.flush();
        Expected expected =
            Expected.compute(
                generator.history(),
                PARTITIONS,
                SensorPipeline.WINDOW.toMillis(),
                SensorPipeline.OUT_OF_ORDERNESS.toMillis(),
                SensorPipeline.RISE.toMillis());
        progress.message(
            String.format(
                "All %,d readings written; waiting until the pipeline has processed them all",
                writer.sent()));
        caughtUp =
            awaitCatchUp(catchUp, outputs, expected, progress, instances, Duration.ofSeconds(120));
        // Stopped instances write nothing more: what is committed now is the whole output.
        for (Instance i : instances) {
          i.stop();
        }
        outputs.readToEnd(Duration.ofSeconds(30));
        progress.render(true);
        progress.finish();
        Result result =
            new Result(
                Expected.compare(expected.windows(), outputs.windows, Expected::windowKey),
                Expected.compare(expected.alerts(), outputs.alerts, Expected::alertKey),
                Expected.compare(expected.late(), outputs.late, Expected::lateKey),
                outputs.malformed,
                caughtUp);
        summary(console, result, instances, generator.history(), t0);
        return result;
      }
    } finally {
      for (Instance i : instances) {
        i.stop();
      }
      if (admin != null) {
        if (kafka == null) {
          deleteTopics(admin, topics, applicationId);
        }
        admin.close(Duration.ofSeconds(5));
      }
      if (kafka != null) {
        kafka.close();
      }
      for (Instance i : instances) {
        i.deleteState();
      }
    }
  }

  /** Writes ticks at the pace of the event-time clock; kills B at 40 %, adds late readings. */
  private static void generate(
      Generator generator,
      int ticks,
      Writer writer,
      Outputs outputs,
      Instance victim,
      Progress progress)
      throws Exception {
    Random random = new Random(7);
    int killAt = ticks * 2 / 5;
    int lateEvery = Math.max(1, ticks / 10);
    boolean lateDue = false;
    long begin = System.nanoTime();
    long tickNanos = Generator.TICK_MS * 1_000_000 / SPEED;
    for (int tick = 0; tick < ticks; ) {
      while (tick < ticks && System.nanoTime() - begin >= tick * tickNanos) {
        writer.send(generator.tick());
        tick++;
        lateDue |= tick % lateEvery == 0;
        if (lateDue) {
          Map.Entry<String, Long> w = outputs.committedWindow(random);
          if (w != null) {
            writer.send(
                List.of(
                    generator.late(w.getKey(), w.getValue(), SensorPipeline.WINDOW.toMillis())));
            lateDue = false;
          }
        }
        if (tick == killAt) {
          long pid = victim.pid();
          victim.kill();
          progress.message(
              String.format(
                  ">> kill -9 instance B (pid %d) in the middle of its work; starting it again on"
                      + " its state directory",
                  pid));
          victim.start();
        }
      }
      outputs.poll(Duration.ofMillis(5));
      progress.render(false);
      writer.check();
    }
  }

  /**
   * Waits until the application has consumed all input and every expected output has arrived (or
   * the timeout passes: then something is lost). Output can arrive after the last input was
   * committed, since timers fire when the watermark advances; so all input being consumed is not
   * enough. Duplicates arriving later are still caught: the final read happens after the instances
   * have stopped.
   */
  private static boolean awaitCatchUp(
      CatchUp catchUp,
      Outputs outputs,
      Expected expected,
      Progress progress,
      List<Instance> instances,
      Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextCheck = 0;
    while (System.nanoTime() < deadline) {
      outputs.poll(Duration.ofMillis(100));
      progress.render(false);
      for (Instance i : instances) {
        i.checkAlive();
      }
      if (System.nanoTime() >= nextCheck) {
        boolean allArrived =
            Expected.compare(expected.windows(), outputs.windows, Expected::windowKey).lost() == 0
                && Expected.compare(expected.alerts(), outputs.alerts, Expected::alertKey).lost()
                    == 0
                && Expected.compare(expected.late(), outputs.late, Expected::lateKey).lost() == 0;
        if (allArrived && catchUp.done()) {
          return true;
        }
        nextCheck = System.nanoTime() + 500_000_000L;
      }
    }
    progress.message(
        "The pipeline did not process everything within " + timeout.toSeconds() + " s");
    return false;
  }

  private static void summary(
      PrintStream console, Result r, List<Instance> instances, List<Sent> sent, long t0) {
    long late = sent.stream().filter(Sent::late).count();
    console.println();
    console.printf(
        "Checking the output against the result computed from the %,d generated readings:%n",
        sent.size() - late);
    row(console, "window averages", r.windows());
    row(console, "rise alerts", r.alerts());
    row(console, "late readings", r.late());
    if (r.malformed() > 0) {
      console.printf("  %d output records could not be parsed%n", r.malformed());
    }
    Instance b = instances.get(1);
    console.printf(
        "  instance B, killed with kill -9 and restarted, replayed %,d changelog records into its"
            + " local state; rollbacks: %d%n",
        b.lastMetric("state-restored-records"),
        instances.stream().mapToLong(i -> i.lastMetric("rollbacks")).sum());
    console.println();
    console.printf(
        "%s%s  (exactly_once, 2 instances, %.1f s)%n",
        r.line(),
        r.ok() ? "" : "  <-- the output is NOT what it should be",
        (System.nanoTime() - t0) / 1e9);
  }

  private static void row(PrintStream console, String name, Tally t) {
    console.printf(
        "  %-16s expected %,6d  received %,6d  lost %d  duplicated %d  wrong %d%n",
        name, t.expected(), t.received(), t.lost(), t.duplicated(), t.wrong());
  }

  private static void awaitRunning(List<Instance> instances, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!instances.stream().allMatch(Instance::running)) {
      for (Instance i : instances) {
        i.checkAlive();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The instances did not start within " + timeout);
      }
      Thread.sleep(50); // polling a log file: there is nothing to block on
    }
  }

  /** Creates the topics and waits until every partition's leader serves requests. */
  private static void createTopics(Admin admin, List<String> names) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, Optional.of(PARTITIONS), Optional.empty()));
    }
    admin.createTopics(topics).all().get();
    // Metadata can name a leader before the broker has loaded a new partition; writes then fail
    // with NotLeaderOrFollower and the idempotent producer's retries can end in
    // OutOfOrderSequence (seen with Kafka 4.3.1). ListOffsets is answered by the serving leader.
    Map<TopicPartition, OffsetSpec> all = new HashMap<>();
    for (String name : names) {
      for (int p = 0; p < PARTITIONS; p++) {
        all.put(new TopicPartition(name, p), OffsetSpec.latest());
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        admin.listOffsets(all).all().get();
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The new topics' partitions were not served in 60 s", e);
        }
      }
    }
  }

  /** On the user's Kafka, deletes the run's topics, internal ones included. */
  private static void deleteTopics(Admin admin, DemoTopics topics, String applicationId) {
    try {
      List<String> delete = new ArrayList<>(topics.all());
      for (String t : admin.listTopics().names().get()) {
        if (t.startsWith(applicationId + "-")) {
          delete.add(t);
        }
      }
      admin.deleteTopics(delete).all().get();
    } catch (Exception e) {
      System.err.println("Could not delete the demo's topics: " + e);
    }
  }

  /** Sends readings and remembers the first failed send. */
  static final class Writer implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;

    Writer(String bootstrapServers, String topic) {
      Map<String, Object> config = new HashMap<>();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      config.put(ProducerConfig.CLIENT_ID_CONFIG, "weir-demo-generator");
      this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
      this.topic = topic;
    }

    void send(List<Sent> readings) {
      for (Sent s : readings) {
        producer.send(
            new ProducerRecord<>(topic, s.partition(), s.reading().sensor(), s.reading().toText()),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        sent++;
      }
    }

    long sent() {
      return sent;
    }

    /** Fails the demo when a reading could not be written, rather than reporting it lost. */
    void check() {
      Exception e = failure.get();
      if (e != null) {
        throw new IllegalStateException("Writing a reading failed", e);
      }
    }

    void flush() {
      producer.flush();
      check();
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** One instance: a child JVM running {@link InstanceMain}, and its status from its log. */
  static final class Instance {
    private final String name;
    private final String bootstrap;
    private final String applicationId;
    private final String run;
    private final Path dir;
    private final Path stateDir;
    private final int webPort;
    private JavaProcess process;
    private StatusTail tail;
    private int starts;
    private boolean killed;
    private boolean stopped;

    Instance(
        String name, String bootstrap, String applicationId, String run, Path dir, int webPort) {
      this.name = name;
      this.webPort = webPort;
      this.bootstrap = bootstrap;
      this.applicationId = applicationId;
      this.run = run;
      this.dir = dir;
      this.stateDir = dir.resolve("state-" + name);
    }

    String name() {
      return name;
    }

    void start() throws IOException {
      starts++;
      Path log = dir.resolve("instance-" + name + (starts > 1 ? "-" + starts : "") + ".log");
      process =
          JavaProcess.builder(InstanceMain.class)
              .name("instance-" + name)
              .args(bootstrap, applicationId, stateDir.toString(), run, String.valueOf(webPort))
              .jvmOptions(
                  "-Xmx384m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-Xshare:auto",
                  "-Dorg.slf4j.simpleLogger.showDateTime=true",
                  "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS")
              .logFile(log)
              .start();
      tail = new StatusTail(log);
      killed = false;
    }

    long pid() {
      return process.pid();
    }

    void kill() {
      killed = true;
      process.kill();
    }

    /** What the progress line shows when the instance is not running. */
    String notRunning() {
      return stopped ? "stopped" : killed ? "killed" : null;
    }

    Map<String, String> status() {
      return tail.status();
    }

    boolean running() {
      return "RUNNING".equals(status().get("state"));
    }

    long lastMetric(String metric) {
      status();
      return tail.metric(metric);
    }

    /** Fails the demo when the instance died without being killed on purpose. */
    void checkAlive() {
      if (process != null && !process.isAlive() && !killed && !stopped) {
        throw new IllegalStateException(
            "Instance "
                + name
                + " exited with "
                + process.exitCode()
                + "; the end of its log:\n  "
                + String.join("\n  ", process.logTail(30)));
      }
    }

    /** Stops the instance cleanly (it commits and closes); kills it if that takes over 10 s. */
    void stop() {
      if (process != null && process.isAlive()) {
        stopped = true;
        process.close();
      }
    }

    void deleteState() {
      if (!Files.exists(stateDir)) {
        return;
      }
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
