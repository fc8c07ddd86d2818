package dev.weir.functions;

/**
 * A function with a lifecycle. Implement it (usually by extending {@link AbstractRichFunction}) to
 * open connections or declare state once per task.
 *
 * <p>Each task has its own copy of the function. {@link #open()} is called once on the task's
 * thread before the first record, after {@link #setRuntimeContext}; {@link #close()} once after the
 * last record, when the task is closed (revocation, shutdown or failure).
 */
public interface RichFunction {
  /**
   * Called once before the first record.
   *
   * @throws Exception a failure here fails the task
   */
  default void open() throws Exception {}

  /**
   * Called once after the last record. Also called when the task is closed after a failure.
   *
   * @throws Exception logged; closing continues
   */
  default void close() throws Exception {}

  /**
   * Gives the function its context. Called by the library before {@link #open()}.
   *
   * @param context the task's runtime context
   */
  void setRuntimeContext(RuntimeContext context);

  /**
   * Returns the context given by {@link #setRuntimeContext}.
   *
   * @return the runtime context
   * @throws IllegalStateException when called before the function was opened
   */
  RuntimeContext getRuntimeContext();
}
