package dev.weir.internal.task;

/**
 * One operator instance of one task. Created per task by an {@link OperatorFactory}, opened before
 * the first record, closed when the task closes. Called only from the task's thread.
 */
public abstract class Operator<I> {
  protected final String name;
  protected TaskContext task;
  protected String storeName;

  protected Operator(String name) {
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

  /** Processes one record; its timestamp and position are in {@code task.record()}. */
  public abstract void process(I value) throws Exception;

  /** The task's watermark advanced to {@code watermark}: fire due event-time timers. */
  public void onWatermark(long watermark) throws Exception {}

  /** The processing clock is at {@code now}: fire due processing-time timers. */
  public void onProcessingTime(long now) throws Exception {}

  /** Closes the operator; must not throw for a clean close of user resources that failed. */
  public void close() throws Exception {}
}
