package dev.weir.perf;

/**
 * The Flink contenders, created by {@link Contenders} through reflection: the {@code perf} module
 * cannot depend on Flink, whose RocksDB classes clash with Weir's, so this module is built apart
 * ({@code -Pflink}) and its JVM runs on a classpath of its own.
 */
final class FlinkContenders {
  private FlinkContenders() {}

  /**
   * The Flink contender of a workload.
   *
   * @param workload W1, W2, W2K, W6 or W9
   * @return a new, unstarted contender
   * @throws IllegalArgumentException for another workload
   */
  static Contender create(String workload) {
    return switch (workload) {
      case "W1" -> new FlinkW1();
      case "W2" -> new FlinkW2(false);
      case "W2K" -> new FlinkW2(true);
      case "W6" -> new FlinkW6();
      case "W9" -> new FlinkW9();
      default ->
          throw new IllegalArgumentException(
              "No Flink contender for workload " + workload + " (only W1, W2, W2K, W6 and W9)");
    };
  }
}
