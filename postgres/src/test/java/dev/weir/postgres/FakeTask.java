package dev.weir.postgres;

import dev.weir.sink.TwoPhaseCommitSink;

/** The SPI's contexts as a runtime task would hand them over, with a settable sequence. */
final class FakeTask implements TwoPhaseCommitSink.InitContext, TwoPhaseCommitSink.Context {
  private final String taskId;
  long sequence;

  FakeTask(String taskId) {
    this.taskId = taskId;
  }

  @Override
  public String applicationId() {
    return "app";
  }

  @Override
  public String taskId() {
    return taskId;
  }

  @Override
  public String sinkName() {
    return "orders-db";
  }

  @Override
  public int subtaskIndex() {
    return Integer.parseInt(taskId.substring(taskId.indexOf('_') + 1));
  }

  @Override
  public int numberOfParallelSubtasks() {
    return 16;
  }

  @Override
  public String transactionIdPrefix() {
    return "app-orders-db-" + taskId;
  }

  @Override
  public long transactionSequence() {
    return sequence;
  }

  @Override
  public long currentProcessingTime() {
    return 0;
  }

  @Override
  public long timestamp() {
    return 0;
  }

  @Override
  public long currentWatermark() {
    return Long.MIN_VALUE;
  }
}
