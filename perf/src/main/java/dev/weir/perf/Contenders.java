package dev.weir.perf;

import java.util.List;

/** The registry of contenders: names and the class that implements each workload. */
final class Contenders {
  static final String WEIR = "weir";
  static final String KAFKA_STREAMS = "kafka-streams";
  static final String RAW = "raw";

  private Contenders() {}

  /** The contenders a workload compares, Weir first. */
  static List<String> of(Workload w) {
    return w == Workload.W1 ? List.of(WEIR, KAFKA_STREAMS, RAW) : List.of(WEIR, KAFKA_STREAMS);
  }

  /** Why Weir cannot run a workload yet, or null when it can. */
  static String weirMissing(Workload w) {
    return switch (w) {
      case W1 -> null;
      case W2 -> "windows not built yet";
      case W3, W4 -> "keyed state not built yet";
    };
  }

  static Contender create(String workload, String contender) {
    return switch (workload + "/" + contender) {
      case "W1/" + WEIR -> new WeirW1();
      case "W1/" + KAFKA_STREAMS -> new KafkaStreamsW1();
      case "W1/" + RAW -> new RawW1();
      case "W2/" + KAFKA_STREAMS -> new KafkaStreamsW2();
      case "W3/" + KAFKA_STREAMS -> new KafkaStreamsW3();
      case "W4/" + KAFKA_STREAMS -> new KafkaStreamsW4();
      default ->
          throw new IllegalArgumentException(
              "No contender '" + contender + "' for workload " + workload);
    };
  }
}
