package dev.weir.internal.task;

import dev.weir.functions.RuntimeContext;
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
  private long currentWatermark = Long.MIN_VALUE;

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

  public long currentWatermark() {
    return currentWatermark;
  }

  public void setCurrentWatermark(long watermark) {
    this.currentWatermark = watermark;
  }

  public TaskMetrics metrics() {
    return metrics;
  }

  /** The runtime context handed to the rich functions of operator {@code operatorName}. */
  public RuntimeContext runtimeContext(String operatorName) {
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
    };
  }
}
