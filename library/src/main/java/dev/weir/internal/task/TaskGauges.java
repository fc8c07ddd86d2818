package dev.weir.internal.task;

import static dev.weir.internal.metrics.MetricCatalogue.*;

import dev.weir.internal.metrics.TaskMetricScope;
import dev.weir.store.KeyValueStore;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;

/**
 * The task-level metrics of one task ({@code task-metrics}, {@code input-metrics}, {@code
 * state-metrics}). The task's thread copies the values into volatile fields in {@link #publish}
 * (every {@code watermark.interval.ms}), and the registry's gauges read those: so reporters never
 * touch the task's watermarks or its RocksDB handles, which only the task's thread may use, and
 * processing a record costs nothing here.
 */
final class TaskGauges {
  private final StreamTask task;
  private final TaskMetricScope scope;
  private final Sensor recordsInRate;
  private final java.util.Set<String> inputs = new java.util.HashSet<>();
  private final Map<String, long[]> stores = new HashMap<>();
  private volatile long recordsIn;
  private volatile long watermark = Long.MIN_VALUE;
  private volatile boolean idle;
  private volatile long lag = Long.MIN_VALUE;
  private volatile Map<String, long[]> inputValues = Map.of();
  private volatile Map<String, long[]> storeValues = Map.of();
  private long flushedIn;
  private boolean eventTimeRegistered;

  TaskGauges(StreamTask task, TaskMetricScope scope) {
    this.task = task;
    this.scope = scope;
    scope.taskMetric(TASK_RECORDS_IN_TOTAL, () -> recordsIn);
    recordsInRate = scope.sensorFor(TASK_RECORDS_IN_RATE, new Rate(new WindowedSum()));
    TaskState state = task.context().state();
    if (state != null) {
      for (String store : state.storeNames()) {
        stores.put(store, new long[] {0, -1});
        scope.storeMetric(STORE_NUM_KEYS, store, () -> storeValue(store, 0));
        scope.storeMetric(STORE_LIVE_DATA_SIZE, store, () -> storeValue(store, 1));
      }
    }
  }

  private double storeValue(String store, int i) {
    long[] v = storeValues.get(store);
    return v == null || v[i] < 0 ? Double.NaN : v[i];
  }

  private double inputValue(String input, int i) {
    long[] v = inputValues.get(input);
    return v == null ? Double.NaN : v[i];
  }

  /**
   * Copies the task's current values for the gauges; on the task's thread.
   *
   * @param now wall-clock (or, in the test driver, processing) time in ms
   */
  void publish(long now) {
    long in = task.recordsRead();
    recordsIn = in;
    recordsInRate.record(in - flushedIn);
    flushedIn = in;
    TaskWatermarks w = task.context().watermarks();
    if (w.tracksEventTime()) {
      if (!eventTimeRegistered) {
        eventTimeRegistered = true;
        scope.taskMetric(TASK_WATERMARK, () -> watermark);
        scope.taskMetric(TASK_IDLE, () -> idle ? 1 : 0);
        scope.taskMetric(TASK_EVENT_TIME_LAG, () -> lag == Long.MIN_VALUE ? Double.NaN : lag);
      }
      long wm = w.watermark();
      watermark = wm;
      idle = w.idle();
      lag = wm == Long.MIN_VALUE ? Long.MIN_VALUE : now - wm;
      Map<String, long[]> current = w.inputs(task.id().partition());
      for (String input : current.keySet()) {
        if (inputs.add(input)) {
          scope.inputMetric(INPUT_WATERMARK, input, () -> inputValue(input, 0));
          scope.inputMetric(INPUT_IDLE, input, () -> inputValue(input, 1));
        }
      }
      inputValues = Map.copyOf(current);
    }
    if (!stores.isEmpty()) {
      TaskState state = task.context().state();
      Map<String, long[]> values = new HashMap<>();
      for (String store : stores.keySet()) {
        KeyValueStore s = state.store(store);
        values.put(store, new long[] {s.approximateNumEntries(), s.approximateLiveDataBytes()});
      }
      storeValues = values;
    }
  }
}
