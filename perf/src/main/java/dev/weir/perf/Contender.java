package dev.weir.perf;

/**
 * One implementation of one workload, running alone in a child JVM started by the harness. To add a
 * contender, implement this in one class and register it in {@link Contenders}.
 *
 * <p>{@link #start} begins processing {@link ContenderSpec#inputs()} from the beginning under a
 * fresh application id and returns; the harness watches the output topic. {@link #stop} runs from
 * the JVM's shutdown hook when the harness stops the child: it must commit what was processed and
 * stop.
 */
public interface Contender {

  /**
   * Starts processing.
   *
   * @param spec topics, guarantee and ids
   * @param status milestones for the harness; put {@code failed} there on an asynchronous failure
   * @throws Exception when the contender cannot start
   */
  void start(ContenderSpec spec, StatusFile status) throws Exception;

  /**
   * Stops gracefully.
   *
   * @throws Exception when stopping fails
   */
  void stop() throws Exception;
}
