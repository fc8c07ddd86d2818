package dev.weir.perf;

import java.util.List;

/** The registry of contenders: names and the class that implements each workload. */
final class Contenders {
  static final String WEIR = "weir";
  static final String KAFKA_STREAMS = "kafka-streams";
  static final String RAW = "raw";
  static final String KAFKA_STREAMS_GRACE_5S = "kafka-streams-grace5s";

  private Contenders() {}

  /** The contenders a workload compares, Weir first. */
  static List<String> of(Workload w) {
    return switch (w) {
      case W1 -> List.of(WEIR, KAFKA_STREAMS, RAW);
      case W2 -> List.of(WEIR, KAFKA_STREAMS, KAFKA_STREAMS_GRACE_5S);
      case W3, W4, W5, W6, W8 -> List.of(WEIR, KAFKA_STREAMS);
      case W7 -> List.of(WEIR, "weir-blocking-map"); // run in-process by W7Runner
    };
  }

  /** Whether a contender is compared in the ratio lines (the others are shown for information). */
  static boolean compared(String contender) {
    return !contender.equals(KAFKA_STREAMS_GRACE_5S);
  }

  /** Why Weir cannot run a workload yet, or null when it can. */
  static String weirMissing(Workload w) {
    return switch (w) {
      case W1, W2, W3, W4, W5, W6, W7, W8 -> null;
    };
  }

  static Contender create(String workload, String contender) {
    return switch (workload + "/" + contender) {
      case "W1/" + WEIR -> new WeirW1();
      case "W1/" + KAFKA_STREAMS -> new KafkaStreamsW1();
      case "W1/" + RAW -> new RawW1();
      case "W2/" + WEIR -> new WeirW2();
      case "W3/" + WEIR -> new WeirW3();
      // W5 runs W4's pipelines; only the phases differ (see RestoreRunner).
      case "W4/" + WEIR, "W5/" + WEIR -> new WeirW4();
      case "W2/" + KAFKA_STREAMS -> new KafkaStreamsW2(java.time.Duration.ofHours(1));
      case "W2/" + KAFKA_STREAMS_GRACE_5S ->
          new KafkaStreamsW2(java.time.Duration.ofMillis(Dataset.MAX_DISORDER_MS));
      case "W3/" + KAFKA_STREAMS -> new KafkaStreamsW3();
      // W8 runs W3's pipelines with standby replicas and faster failure detection.
      case "W8/" + WEIR -> new WeirW3(W8Runner.WEIR_SETTINGS);
      case "W8/" + KAFKA_STREAMS -> new KafkaStreamsW3(W8Runner.KAFKA_STREAMS_SETTINGS);
      case "W6/" + WEIR -> new WeirW6();
      case "W6/" + KAFKA_STREAMS -> new KafkaStreamsW6();
      case "W4/" + KAFKA_STREAMS, "W5/" + KAFKA_STREAMS -> new KafkaStreamsW4();
      default ->
          throw new IllegalArgumentException(
              "No contender '" + contender + "' for workload " + workload);
    };
  }
}
