package dev.weir.functions;

/**
 * What a rich function can learn about the task running it. Owned by the library; valid from {@link
 * RichFunction#open()} until {@link RichFunction#close()}; used only from the task's thread.
 */
public interface RuntimeContext {
  /**
   * Returns the application id ({@code application.id}) this function runs in.
   *
   * @return the application id
   */
  String applicationId();

  /**
   * Returns the name of the operator this function belongs to, as given by {@code name(...)} or
   * generated.
   *
   * @return the operator name
   */
  String operatorName();

  /**
   * Returns the id of the task, {@code <subTopology>_<partition>}, for example {@code "1_3"}.
   *
   * @return the task id
   */
  String taskId();

  /**
   * Returns the 0-based index of this parallel instance: the partition number of the task.
   *
   * @return the subtask index
   */
  int indexOfThisSubtask();

  /**
   * Returns the number of parallel instances of this operator: the partition count of the task's
   * input topics.
   *
   * @return the parallelism, at least 1
   */
  int numberOfParallelSubtasks();
}
