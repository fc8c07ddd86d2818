package dev.weir.perf;

/**
 * One contender run: the measurements, or why there are none.
 *
 * @param workload the workload
 * @param contender the contender's name
 * @param mode the guarantee
 * @param round 1-based round
 * @param ok whether the output check passed (only then do the numbers count)
 * @param check the check's one-line summary, or the failure
 * @param records input records processed (W4, W5: changelog records restored)
 * @param recordsPerSecond input records per second between the first and the last output (W4, W5:
 *     changelog records restored per second)
 * @param seconds the measured interval (W4, W5: start to ready)
 * @param wallSeconds from launching the JVM to the last output
 * @param cpuSeconds the contender JVM's CPU time in the measured interval
 * @param jitCpuSeconds the part of {@code cpuSeconds} the JVM's JIT compiler threads used, -1 when
 *     unknown: a fixed cost of each fresh JVM that a longer run dilutes
 * @param brokerCpuSeconds the broker's CPU time in the measured interval, -1 when unknown
 * @param peakRssBytes the contender JVM's peak resident memory (VmHWM), -1 when unknown
 * @param latenciesNanos end-to-end latencies of the probes
 */
record RunResult(
    Workload workload,
    String contender,
    Mode mode,
    int round,
    boolean ok,
    String check,
    long records,
    double recordsPerSecond,
    double seconds,
    double wallSeconds,
    double cpuSeconds,
    double jitCpuSeconds,
    double brokerCpuSeconds,
    long peakRssBytes,
    long[] latenciesNanos) {

  static RunResult failed(Workload w, String contender, Mode mode, int round, String why) {
    return new RunResult(
        w, contender, mode, round, false, why, 0, 0, 0, 0, -1, -1, -1, -1, new long[0]);
  }
}
