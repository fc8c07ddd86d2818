package dev.weir.perf;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/** The registry of contenders: names and the class that implements each workload. */
final class Contenders {
  static final String WEIR = "weir";
  static final String KAFKA_STREAMS = "kafka-streams";
  static final String RAW = "raw";
  static final String KAFKA_STREAMS_GRACE_5S = "kafka-streams-grace5s";

  /**
   * W8's Weir without peer liveness (design record 021): failures detected by the session timeout
   * only, as Kafka Streams does; run only when named in {@code --contenders}, for comparison.
   */
  static final String WEIR_SESSION_ONLY = "weir-session-only";

  /**
   * Flink 2.2.1, local environment (module {@code perf-flink}, built only with {@code -Pflink}; its
   * JVM runs on that module's classpath, see {@link #FLINK_FACTORY}).
   */
  static final String FLINK = "flink";

  /**
   * The Flink contenders' factory, in module {@code perf-flink}: found by name, since this module
   * cannot depend on Flink (its RocksDB classes clash with Weir's).
   */
  static final String FLINK_FACTORY = "dev.weir.perf.FlinkContenders";

  /**
   * What Flink's own launch scripts pass to a JVM from Java 17 on, so that its serializers may
   * reflect on JDK classes (Flink's {@code env.java.opts.all} default).
   */
  static final List<String> FLINK_JVM =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private Contenders() {}

  /**
   * The contenders a workload compares, Weir first; Flink last where it runs the workload (the
   * harness leaves it out unless it was built, see {@link PerfOptions#lineup}).
   */
  static List<String> of(Workload w) {
    return switch (w) {
      case W1 -> List.of(WEIR, KAFKA_STREAMS, RAW, FLINK);
      case W2 -> List.of(WEIR, KAFKA_STREAMS, KAFKA_STREAMS_GRACE_5S, FLINK);
      case W2K -> List.of(WEIR, KAFKA_STREAMS, FLINK);
      case W6 -> List.of(WEIR, KAFKA_STREAMS, FLINK);
      case W9 -> List.of(WEIR, KAFKA_STREAMS, FLINK);
      case W3, W4, W5 -> List.of(WEIR, KAFKA_STREAMS);
      case W8 -> List.of(WEIR, KAFKA_STREAMS, WEIR_SESSION_ONLY);
      case W7 -> List.of(WEIR, "weir-blocking-map"); // run in-process by W7Runner
    };
  }

  /** Whether a contender is compared in the ratio lines (the others are shown for information). */
  static boolean compared(String contender) {
    return !contender.equals(KAFKA_STREAMS_GRACE_5S) && !contender.equals(WEIR_SESSION_ONLY);
  }

  /** Why Weir cannot run a workload yet, or null when it can. */
  static String weirMissing(Workload w) {
    return switch (w) {
      case W1, W2, W2K, W3, W4, W5, W6, W7, W8, W9 -> null;
    };
  }

  static Contender create(String workload, String contender) {
    return switch (workload + "/" + contender) {
      case "W1/" + WEIR -> new WeirW1();
      case "W1/" + KAFKA_STREAMS -> new KafkaStreamsW1();
      case "W1/" + RAW -> new RawW1();
      case "W2/" + WEIR -> new WeirW2();
      case "W2K/" + WEIR -> new WeirW2K();
      case "W3/" + WEIR -> new WeirW3();
      // W5 runs W4's pipelines; only the phases differ (see RestoreRunner).
      case "W4/" + WEIR, "W5/" + WEIR -> new WeirW4();
      case "W2/" + KAFKA_STREAMS -> new KafkaStreamsW2(java.time.Duration.ofHours(1));
      case "W2/" + KAFKA_STREAMS_GRACE_5S ->
          new KafkaStreamsW2(java.time.Duration.ofMillis(Dataset.MAX_DISORDER_MS));
      case "W2K/" + KAFKA_STREAMS -> new KafkaStreamsW2K();
      case "W3/" + KAFKA_STREAMS -> new KafkaStreamsW3();
      // W8 runs W3's pipelines with standby replicas and static members (W8Runner).
      case "W8/" + WEIR -> new WeirW3(spec -> W8Runner.weirSettings(spec, true));
      case "W8/" + WEIR_SESSION_ONLY -> new WeirW3(spec -> W8Runner.weirSettings(spec, false));
      case "W8/" + KAFKA_STREAMS -> new KafkaStreamsW3(W8Runner::kafkaStreamsSettings);
      case "W6/" + WEIR -> new WeirW6();
      case "W6/" + KAFKA_STREAMS -> new KafkaStreamsW6();
      case "W4/" + KAFKA_STREAMS, "W5/" + KAFKA_STREAMS -> new KafkaStreamsW4();
      case "W1/" + FLINK, "W2/" + FLINK, "W2K/" + FLINK, "W6/" + FLINK, "W9/" + FLINK ->
          flink(workload);
      case "W9/" + WEIR -> new WeirW9();
      case "W9/" + KAFKA_STREAMS -> new KafkaStreamsW9();
      default ->
          throw new IllegalArgumentException(
              "No contender '" + contender + "' for workload " + workload);
    };
  }

  /**
   * The Flink contender of a workload, from {@link #FLINK_FACTORY}'s {@code static Contender
   * create(String workload)}.
   */
  private static Contender flink(String workload) {
    try {
      return (Contender)
          Class.forName(FLINK_FACTORY)
              .getDeclaredMethod("create", String.class)
              .invoke(null, workload);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "The Flink contender is not on this JVM's classpath: it is in module perf-flink, built"
              + " with -Pflink; run it through perf/run.sh --flink",
          e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "Creating the Flink contender of " + workload + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(FLINK_FACTORY + " has no static create(String): " + e, e);
    }
  }
}
