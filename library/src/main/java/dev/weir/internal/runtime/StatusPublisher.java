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
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Publishes a stream thread's tasks for the status server: written by the thread at its watermark
 * interval, read by any thread through {@link #tasks()}. The thread's own objects (tasks, their
 * watermarks, the consumer) are read only here, on the thread that owns them.
 */
final class StatusPublisher {
  private final Plan plan;
  // Written by the stream thread, read by any: the running tasks as last published, the tasks
  // restoring then, and each input partition's lag then.
  private volatile List<TaskStatus> running = List.of();
  private volatile Set<TaskId> restoring = Set.of();
  private volatile Map<String, Long> lag = Map.of();

  StatusPublisher(Plan plan) {
    this.plan = plan;
  }

  /**
   * The tasks: the running ones as last published, the restoring ones with {@code progress} read
   * now, in task order. Any thread.
   *
   * @param progress restore progress per changelog partition: {remaining, total}
   * @return a new list
   */
  List<TaskStatus> tasks(Map<TopicPartition, long[]> progress) {
    Map<String, Long> lagNow = lag;
    List<TaskStatus> out = new ArrayList<>(running);
    for (TaskId id : restoring) {
      long left = 0;
      long total = 0;
      for (Map.Entry<TopicPartition, long[]> e : progress.entrySet()) {
        Integer sub = plan.changelogTopics().get(e.getKey().topic());
        if (sub != null && sub == id.subTopology() && e.getKey().partition() == id.partition()) {
          left += e.getValue()[0];
          total += e.getValue()[1];
        }
      }
      out.add(
          new TaskStatus(id.toString(), true, left, total, null, false, null, inputs(id, lagNow)));
    }
    out.sort(java.util.Comparator.comparing(s -> TaskId.parse(s.id())));
    return out;
  }

  /** Forgets every task (the thread ended). */
  void clear() {
    running = List.of();
    restoring = Set.of();
  }

  /**
   * Publishes the thread's tasks; on the stream thread.
   *
   * @param now wall-clock time, for the event-time lag
   * @param runningTasks the running tasks, in task order
   * @param restoringTasks the tasks whose state is being restored
   * @param consumer the group consumer, for each partition's lag
   */
  void publish(
      long now,
      Collection<StreamTask> runningTasks,
      Set<TaskId> restoringTasks,
      Consumer<?, ?> consumer) {
    Map<String, Long> lagNow = recordsLag(consumer);
    List<TaskStatus> out = new ArrayList<>();
    for (StreamTask t : runningTasks) {
      TaskWatermarks w = t.context().watermarks();
      if (!w.tracksEventTime()) {
        out.add(
            new TaskStatus(
                t.id().toString(), false, 0, 0, null, false, null, inputs(t.id(), lagNow)));
        continue;
      }
      List<InputStatus> ins = new ArrayList<>();
      w.inputs(t.id().partition())
          .forEach(
              (name, v) -> {
                int slash = name.indexOf('/');
                Long l = lagOf(lagNow, slash < 0 ? name : name.substring(0, slash));
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
    lag = lagNow;
    running = List.copyOf(out);
    restoring = Set.copyOf(restoringTasks);
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

  private static Long lagOf(Map<String, Long> lag, String partition) {
    return lag.get(partition);
  }

  /**
   * Records between each assigned partition's position and its end, keyed {@code
   * <topic>-<partition>}, as the consumer last learned the end from a fetch (no request is sent);
   * partitions not fetched yet are left out.
   */
  private static Map<String, Long> recordsLag(Consumer<?, ?> consumer) {
    Map<String, Long> out = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isPresent()) {
        out.put(tp.topic() + "-" + tp.partition(), lag.getAsLong());
      }
    }
    return out;
  }
}
