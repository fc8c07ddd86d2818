package dev.weir.internal.runtime;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.runtime.RuntimeStatus.InputStatus;
import dev.weir.internal.runtime.RuntimeStatus.TaskStatus;
import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskWatermarks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * Publishes a stream thread's tasks for the status server: written by the thread at its watermark
 * interval, read by any thread through {@link #tasks()}. The thread's own objects (tasks, their
 * watermarks, the consumer) are read only here, on the thread that owns them.
 */
final class StatusPublisher {
  private final Plan plan;
  private volatile List<TaskStatus> tasks = List.of();

  StatusPublisher(Plan plan) {
    this.plan = plan;
  }

  /** The tasks as last published; never null. */
  List<TaskStatus> tasks() {
    return tasks;
  }

  /** Forgets every task (the thread ended). */
  void clear() {
    tasks = List.of();
  }

  /**
   * Publishes the thread's tasks.
   *
   * @param now wall-clock time, for the event-time lag
   * @param running the running tasks, in task order
   * @param restoring the tasks whose state is being restored
   * @param restore restore progress per changelog partition: {remaining, total}
   * @param consumerMetrics the group consumer's metrics, for each partition's records-lag
   */
  void publish(
      long now,
      Collection<StreamTask> running,
      Set<TaskId> restoring,
      Map<TopicPartition, long[]> restore,
      Map<MetricName, ? extends Metric> consumerMetrics) {
    Map<String, Long> lag = recordsLag(consumerMetrics);
    List<TaskStatus> out = new ArrayList<>();
    for (TaskId id : new java.util.TreeSet<>(restoring)) {
      long left = 0;
      long total = 0;
      for (Map.Entry<TopicPartition, long[]> e : restore.entrySet()) {
        Integer sub = plan.changelogTopics().get(e.getKey().topic());
        if (sub != null && sub == id.subTopology() && e.getKey().partition() == id.partition()) {
          left += e.getValue()[0];
          total += e.getValue()[1];
        }
      }
      out.add(new TaskStatus(id.toString(), true, left, total, null, false, null, inputs(id, lag)));
    }
    for (StreamTask t : running) {
      TaskWatermarks w = t.context().watermarks();
      if (!w.tracksEventTime()) {
        out.add(
            new TaskStatus(t.id().toString(), false, 0, 0, null, false, null, inputs(t.id(), lag)));
        continue;
      }
      List<InputStatus> ins = new ArrayList<>();
      w.inputs(t.id().partition())
          .forEach(
              (name, v) -> {
                int slash = name.indexOf('/');
                Long l = lagOf(lag, slash < 0 ? name : name.substring(0, slash));
                ins.add(new InputStatus(name, v[0], v[1] != 0, l));
              });
      long wm = w.watermark();
      out.add(
          new TaskStatus(
              t.id().toString(),
              false,
              0,
              0,
              wm,
              w.idle(),
              wm == Long.MIN_VALUE ? null : now - wm,
              List.copyOf(ins)));
    }
    out.sort(java.util.Comparator.comparing(s -> TaskId.parse(s.id())));
    tasks = List.copyOf(out);
  }

  /** The inputs of a task without event time (or restoring): its partitions, with their lag. */
  private List<InputStatus> inputs(TaskId id, Map<String, Long> lag) {
    List<InputStatus> out = new ArrayList<>();
    for (String topic : plan.inputTopics(plan.subTopology(id.subTopology()))) {
      String name = topic + "-" + id.partition();
      out.add(new InputStatus(name, Long.MIN_VALUE, false, lagOf(lag, name)));
    }
    return out;
  }

  // The consumer's partition metrics carry the topic with '.' replaced by '_'.
  private static Long lagOf(Map<String, Long> lag, String partition) {
    return lag.get(partition.replace('.', '_'));
  }

  /** The consumer's {@code records-lag} per partition, keyed {@code <topic>-<partition>}. */
  private static Map<String, Long> recordsLag(Map<MetricName, ? extends Metric> metrics) {
    Map<String, Long> out = new HashMap<>();
    metrics.forEach(
        (name, metric) -> {
          String topic = name.tags().get("topic");
          String partition = name.tags().get("partition");
          if ("records-lag".equals(name.name()) && topic != null && partition != null) {
            Object v = metric.metricValue();
            if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
              out.put(topic + "-" + partition, n.longValue());
            }
          }
        });
    return out;
  }
}
