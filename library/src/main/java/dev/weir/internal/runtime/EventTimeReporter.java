package dev.weir.internal.runtime;

import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskWatermarks;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each task's watermark, idleness and event-time lag (and each input's watermark) for
 * {@code metrics()}, and warns about watermarks that stopped advancing, naming the input holding
 * them. Written by its stream thread; {@link #metrics()} may be read from any thread.
 */
final class EventTimeReporter {
  private static final Logger LOG = LoggerFactory.getLogger(EventTimeReporter.class);

  /** Per task: the last watermark seen, when it last moved, when the last warning was logged. */
  private final Map<TaskId, long[]> stalls = new HashMap<>();

  private final long stallWarnMs;
  private volatile Map<String, Long> metrics = Map.of();

  EventTimeReporter(long stallWarnMs) {
    this.stallWarnMs = stallWarnMs;
  }

  /** The latest event-time metrics of the thread's tasks. */
  Map<String, Long> metrics() {
    return metrics;
  }

  /** Publishes the event time of {@code tasks} at wall-clock time {@code now}. */
  void publish(long now, Collection<StreamTask> tasks) {
    Map<String, Long> m = new LinkedHashMap<>();
    Set<TaskId> seen = new java.util.HashSet<>();
    for (StreamTask t : tasks) {
      seen.add(t.id());
      t.publishMetrics(now);
      TaskWatermarks w = t.context().watermarks();
      if (!w.tracksEventTime()) {
        continue;
      }
      String id = t.id().toString();
      long wm = w.watermark();
      m.put("watermark." + id, wm);
      m.put("watermark-idle." + id, w.idle() ? 1L : 0L);
      if (wm != Long.MIN_VALUE) {
        m.put("event-time-lag-ms." + id, now - wm);
      }
      w.inputs(t.id().partition())
          .forEach(
              (input, v) -> {
                m.put("watermark." + id + "." + input, v[0]);
                m.put("watermark-idle." + id + "." + input, v[1]);
              });
      if (w.expectsEventTime()) {
        warnIfStalled(t, w, wm, now);
      }
    }
    stalls.keySet().retainAll(seen);
    metrics = Map.copyOf(m);
  }

  private void warnIfStalled(StreamTask t, TaskWatermarks w, long wm, long now) {
    long[] st = stalls.computeIfAbsent(t.id(), k -> new long[] {wm, now, 0});
    if (wm != st[0] || w.idle()) {
      st[0] = wm;
      st[1] = now;
    } else if (now - st[1] >= stallWarnMs && now - st[2] >= stallWarnMs) {
      st[2] = now;
      LOG.warn(
          "Task {}: watermark {} has not advanced for {} s; it is held back by {}. An input"
              + " without records holds event time back unless its WatermarkStrategy has"
              + " withIdleness(...)",
          t.id(),
          wm == Long.MIN_VALUE ? "(none yet)" : wm,
          (now - st[1]) / 1000,
          w.holdingInput(t.id().partition()));
    }
  }
}
