package dev.weir.internal.task;

/**
 * The base of every operator instance of one task, whatever its number of inputs: a name, a
 * lifecycle and the two clocks. Records enter through {@link #input(int)}: each input is an {@link
 * Emitter} that the upstream operator (or the task's input handler) pushes into, so a record
 * reaches the right input by a plain method call and carries no input tag.
 *
 * <p>{@link Operator} is the one-input case and {@link TwoInputOperator} the two-input case
 * (connect, joins, broadcast); an operator with more inputs extends this class directly. Every
 * input of a task shares the task's event-time clock (the minimum over the task's non-idle inputs,
 * see {@link dev.weir.internal.task.TaskWatermarks}), so an operator sees one watermark however
 * many inputs it has.
 *
 * <p>Created per task by a factory, opened before the first record, closed when the task closes.
 * Called only from the task's thread.
 */
abstract class StreamOperator {
  protected final String name;
  protected TaskContext task;
  protected String storeName;

  protected StreamOperator(String name) {
    this.name = name;
  }

  public final String name() {
    return name;
  }

  /** Gives a stateful operator its store (before {@link #open}). */
  public final void bindStore(String storeName) {
    this.storeName = storeName;
  }

  /** Opens the operator; subclasses extend {@link #doOpen()}. */
  public final void open(TaskContext task) throws Exception {
    this.task = task;
    doOpen();
  }

  protected void doOpen() throws Exception {}

  /** The number of inputs, at least 1. */
  public abstract int inputCount();

  /**
   * The entry point of input {@code index} (0-based: the first input is 0). Upstream emitters push
   * into it; the record's timestamp, key and position are in {@code task.record()}. Called while
   * the task is wired, not per record.
   *
   * @throws IndexOutOfBoundsException when the operator has no such input
   */
  public abstract Emitter<?> input(int index);

  /**
   * The task's watermark advanced to {@code watermark}: fire due event-time timers. The watermark
   * is the task's combined one: the minimum over its non-idle inputs, never going back.
   */
  public void onWatermark(long watermark) throws Exception {}

  /** The processing clock is at {@code now}: fire due processing-time timers. */
  public void onProcessingTime(long now) throws Exception {}

  /**
   * The task commits: called before the task's state writes go to the changelog, so what the
   * operator writes into its store here joins the Kafka transaction (a two-phase-commit sink
   * pre-commits and records its handle).
   *
   * @throws RuntimeException when the commit must not happen; the tasks are rolled back
   */
  void prepareCommit() {}

  /**
   * The Kafka transaction committed and every task applied its state (a two-phase-commit sink
   * commits its external transaction).
   *
   * @throws RuntimeException when the step failed; the thread rolls its tasks back
   */
  void afterCommit() {}

  /** Closes the operator; must not throw for a clean close of user resources that failed. */
  public void close() throws Exception {}

  /** The error for an input index the operator does not have. */
  protected final IndexOutOfBoundsException noSuchInput(int index) {
    return new IndexOutOfBoundsException(
        "Operator '" + name + "' has " + inputCount() + " input(s); there is no input " + index);
  }
}
