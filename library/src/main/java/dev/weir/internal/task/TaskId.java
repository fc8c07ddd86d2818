package dev.weir.internal.task;

/**
 * A task: one partition of one sub-topology. Printed {@code <subTopology>_<partition>}.
 *
 * @param subTopology the sub-topology's index in the plan
 * @param partition the partition of the sub-topology's input topics
 */
public record TaskId(int subTopology, int partition) implements Comparable<TaskId> {
  public static TaskId parse(String s) {
    int i = s.indexOf('_');
    if (i <= 0) {
      throw new IllegalArgumentException("Not a task id: " + s);
    }
    return new TaskId(Integer.parseInt(s.substring(0, i)), Integer.parseInt(s.substring(i + 1)));
  }

  @Override
  public int compareTo(TaskId o) {
    int c = Integer.compare(subTopology, o.subTopology);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public String toString() {
    return subTopology + "_" + partition;
  }
}
