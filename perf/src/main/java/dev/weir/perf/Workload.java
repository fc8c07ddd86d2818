package dev.weir.perf;

/** The workloads of the harness (see {@code docs/performance.md}). */
enum Workload {
  W1("stateless: parse, filter ~10%, map"),
  W2("windowed count: keyBy, 10 s tumbling event-time windows, final results"),
  W2K(
      "windowed count on input already keyed: no repartition, 10 s tumbling windows, final results"),
  W3("keyed running count: keyBy, count per key, emit every update"),
  W4("restore: rebuild a task's state from its changelog"),
  W5("recover after kill -9: restart on the local state a crash left"),
  W6("interval join: two topics, keyBy both, pairs within +-10 s of each other"),
  W7("async enrichment: 20 ms service, capacity 100, one task, exactly-once"),
  W8("scale and fail over: W3's count at a steady rate, 2 -> 3 instances, then kill -9 of one"),
  W9("window function: 1 min tumbling event-time windows of 2,000 and of 20,000 records");

  private final String description;

  Workload(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  /**
   * Whether the workload measures how a contender gets its state back ({@link RestoreRunner})
   * rather than how it processes the data set ({@link StreamingRunner}).
   */
  boolean restores() {
    return this == W4 || this == W5;
  }

  /**
   * Whether the harness writes the flush records once the data set is consumed, so that event time
   * passes the last windows (see {@link Dataset#flushRecords}).
   */
  boolean flushes() {
    return this == W2 || this == W2K;
  }

  /** Whether end-to-end latency probes make sense (one output per input record). */
  boolean measuresLatency() {
    return this == W1 || this == W3;
  }
}
