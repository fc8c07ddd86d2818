package dev.weir.internal.task;

import dev.weir.functions.RuntimeContext;
import dev.weir.internal.metrics.TaskMetricScope;
import java.util.function.LongSupplier;

/**
 * Everything operators of one task share: the current record's context, the output collector, the
 * clocks and the task's identity. Owned by the task; used only from its thread.
 */
public final class TaskContext {
  private final String applicationId;
  private final TaskId taskId;
  private final int parallelism;
  private final RecordContext record = new RecordContext();
  private final RecordCollector collector;
  private final LongSupplier processingClock;
  private final TaskMetrics metrics;
  private final TaskWatermarks watermarks = new TaskWatermarks();
  private final java.util.List<String> markerOutputs = new java.util.ArrayList<>();
  private boolean timersDue;
  private boolean markerArrived;
  private TaskState state;
  private TaskMetricScope metricScope;
  private java.util.Map<String, ?> serdeConfigs = java.util.Map.of();
  private java.util.concurrent.Semaphore asyncSignal;
  private final java.util.List<java.util.function.LongSupplier> watermarkHolds =
      new java.util.ArrayList<>();
  private long heldWatermark = Long.MIN_VALUE;

  public TaskContext(
      String applicationId,
      TaskId taskId,
      int parallelism,
      RecordCollector collector,
      LongSupplier processingClock,
      TaskMetrics metrics) {
    this.applicationId = applicationId;
    this.taskId = taskId;
    this.parallelism = parallelism;
    this.collector = collector;
    this.processingClock = processingClock;
    this.metrics = metrics;
  }

  public RecordContext record() {
    return record;
  }

  public RecordCollector collector() {
    return collector;
  }

  public TaskId taskId() {
    return taskId;
  }

  public String applicationId() {
    return applicationId;
  }

  public int parallelism() {
    return parallelism;
  }

  public long currentProcessingTime() {
    return processingClock.getAsLong();
  }

  /**
   * The task's event time as its operators see it: the inputs' watermark, held back while an async
   * operator still has a record in flight that entered under an older one (design record 010), so
   * that nothing downstream passes a record not emitted yet. Never goes back.
   */
  public long currentWatermark() {
    long w = watermarks.watermark();
    if (watermarkHolds.isEmpty()) {
      return w;
    }
    for (int i = 0; i < watermarkHolds.size(); i++) {
      w = Math.min(w, watermarkHolds.get(i).getAsLong());
    }
    if (w > heldWatermark) {
      heldWatermark = w;
    }
    return heldWatermark;
  }

  /** Whether an async operator holds the task's event time below its inputs' watermark. */
  public boolean watermarkHeld() {
    return currentWatermark() < watermarks.watermark();
  }

  /** Registers an operator that can hold event time back (an async operator). */
  void addWatermarkHold(java.util.function.LongSupplier hold) {
    watermarkHolds.add(hold);
  }

  /**
   * The semaphore released whenever an async result arrives for any task of the thread, which the
   * thread waits on instead of polling; null in the test driver (nothing may wait there).
   */
  public java.util.concurrent.Semaphore asyncSignal() {
    return asyncSignal;
  }

  public void setAsyncSignal(java.util.concurrent.Semaphore signal) {
    this.asyncSignal = signal;
  }

  public TaskWatermarks watermarks() {
    return watermarks;
  }

  /** Repartition topics this task writes, which get its watermark markers. */
  public java.util.List<String> markerOutputs() {
    return markerOutputs;
  }

  /** A timer was registered at or below the current watermark: fire it after this record. */
  public void setTimersDue() {
    timersDue = true;
  }

  /** A watermark marker arrived: the task can recompute its watermark without waiting. */
  public void setMarkerArrived() {
    markerArrived = true;
  }

  /** Whether a marker arrived since the last call. */
  public boolean takeMarkerArrived() {
    boolean m = markerArrived;
    markerArrived = false;
    return m;
  }

  boolean takeTimersDue() {
    boolean due = timersDue;
    timersDue = false;
    return due;
  }

  public TaskMetrics metrics() {
    return metrics;
  }

  /**
   * The task's metrics in the instance's registry (operators' built-in metrics and user metrics); a
   * detached scope when none was set (unit tests build tasks without a registry).
   */
  public TaskMetricScope metricScope() {
    if (metricScope == null) {
      metricScope = TaskMetricScope.detached(taskId.toString());
    }
    return metricScope;
  }

  /** Sets the task's metric scope; before the task opens. */
  public void setMetricScope(TaskMetricScope scope) {
    this.metricScope = scope;
  }

  /** The task's state, or null when the task has no stateful operator. */
  public TaskState state() {
    return state;
  }

  public void setState(TaskState state) {
    this.state = state;
  }

  /** The configuration state serdes are configured with: the application's. */
  public void setSerdeConfigs(java.util.Map<String, ?> configs) {
    this.serdeConfigs = configs;
  }

  /** The states of the operator owning {@code storeName}; null when there is no such store. */
  public OperatorStates operatorStates(String operatorName, String storeName) {
    if (storeName == null || state == null) {
      return null;
    }
    return state.operator(
        storeName,
        s ->
            new OperatorStates(
                    operatorName, s, state.store(s), record::keyBytes, processingClock, true)
                .configuringSerdes(applicationId, serdeConfigs)
                .appendingListsTo(state.listAppends(s)));
  }

  /**
   * The runtime context handed to the rich functions of operator {@code operatorName}; {@code
   * storeName} is the operator's store, null for a stateless operator.
   */
  public RuntimeContext runtimeContext(String operatorName, String storeName) {
    OperatorStates states = operatorStates(operatorName, storeName);
    if (states == null) {
      return basicContext(operatorName);
    }
    return new StatefulRuntimeContext(basicContext(operatorName), states);
  }

  private RuntimeContext basicContext(String operatorName) {
    return new RuntimeContext() {
      @Override
      public String applicationId() {
        return applicationId;
      }

      @Override
      public String operatorName() {
        return operatorName;
      }

      @Override
      public String taskId() {
        return taskId.toString();
      }

      @Override
      public int indexOfThisSubtask() {
        return taskId.partition();
      }

      @Override
      public int numberOfParallelSubtasks() {
        return parallelism;
      }

      @Override
      public dev.weir.metrics.MetricGroup getMetricGroup() {
        return metricScope().operatorGroup(operatorName);
      }
    };
  }
}
