package dev.weir.internal.metrics;

import dev.weir.metrics.MetricGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;

/**
 * The metrics of one task in the instance's registry: its operators' built-in metrics and the user
 * metrics its functions register. Everything registered through the scope is removed by {@link
 * #close()}, when the task closes, so a task rebuilt after a rollback registers the same names
 * again without clashing. Registration happens on the task's thread; the registry synchronises it
 * against reporters.
 */
public final class TaskMetricScope implements AutoCloseable {
  private final Metrics registry;
  private final boolean ownsRegistry;
  private final String clientId;
  private final String threadId;
  private final String taskId;
  private final List<MetricName> names = new ArrayList<>();
  private final List<String> sensors = new ArrayList<>();
  private final Map<String, UserMetricGroup> groups = new LinkedHashMap<>();

  /**
   * A scope in {@code registry}.
   *
   * @param registry the instance's (or driver's) registry; not null
   * @param clientId the {@code client-id} tag
   * @param threadId the {@code thread-id} tag
   * @param taskId the {@code task-id} tag
   */
  public TaskMetricScope(Metrics registry, String clientId, String threadId, String taskId) {
    this(registry, false, clientId, threadId, taskId);
  }

  private TaskMetricScope(
      Metrics registry, boolean owns, String clientId, String threadId, String taskId) {
    this.registry = registry;
    this.ownsRegistry = owns;
    this.clientId = clientId;
    this.threadId = threadId;
    this.taskId = taskId;
  }

  /**
   * A scope with a registry of its own that nothing reports: for tasks built without an instance
   * (unit tests). Metrics work; nobody sees them.
   *
   * @param taskId the {@code task-id} tag
   * @return a new scope; {@link #close()} closes its registry
   */
  public static TaskMetricScope detached(String taskId) {
    return new TaskMetricScope(new Metrics(), true, "detached", "detached", taskId);
  }

  /** The registry the scope registers in. */
  public Metrics registry() {
    return registry;
  }

  /**
   * Registers a built-in per-operator metric of the catalogue.
   *
   * @param def a metric of group {@code operator-metrics}; not null
   * @param operator the operator's name; not null
   * @param value read at report time, from any thread; not null
   */
  public void operatorMetric(MetricCatalogue.Def def, String operator, DoubleSupplier value) {
    add(def.metricName(clientId, threadId, taskId, operator), value);
  }

  /**
   * Registers a built-in per-store metric of the catalogue.
   *
   * @param def a metric of group {@code state-metrics}; not null
   * @param store the store's name; not null
   * @param value read at report time, from any thread; not null
   */
  public void storeMetric(MetricCatalogue.Def def, String store, DoubleSupplier value) {
    add(def.metricName(clientId, threadId, taskId, store), value);
  }

  /**
   * Registers a built-in per-task metric of the catalogue.
   *
   * @param def a metric of group {@code task-metrics}; not null
   * @param value read at report time, from any thread; not null
   */
  public void taskMetric(MetricCatalogue.Def def, DoubleSupplier value) {
    add(def.metricName(clientId, threadId, taskId), value);
  }

  /**
   * Registers a built-in per-input metric of the catalogue.
   *
   * @param def a metric of group {@code input-metrics}; not null
   * @param input the input partition's name; not null
   * @param value read at report time, from any thread; not null
   */
  public void inputMetric(MetricCatalogue.Def def, String input, DoubleSupplier value) {
    add(def.metricName(clientId, threadId, taskId, input), value);
  }

  /**
   * Whether a metric of this task is registered.
   *
   * @param name the name; not null
   * @return true when registered through this scope
   */
  public boolean contains(MetricName name) {
    return names.contains(name);
  }

  /**
   * The user metric group of operator {@code operator} in this task.
   *
   * @param operator the operator's name; not null
   * @return the group, the same one on every call
   */
  public MetricGroup operatorGroup(String operator) {
    return groups.computeIfAbsent(operator, o -> new UserMetricGroup(this, o, ""));
  }

  MetricName userName(String name, String operator, String scope, String description) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(MetricCatalogue.CLIENT_ID, clientId);
    tags.put(MetricCatalogue.THREAD_ID, threadId);
    tags.put(MetricCatalogue.TASK_ID, taskId);
    tags.put(MetricCatalogue.OPERATOR, operator);
    tags.put(MetricCatalogue.SCOPE, scope);
    return new MetricName(name, MetricCatalogue.USER_GROUP, description, tags);
  }

  /**
   * Registers a sensor of a task-level metric of the catalogue.
   *
   * @param def a metric of group {@code task-metrics}; not null
   * @param stat how the sensor's values are combined; not null
   * @return the sensor, which the task's thread records
   */
  public Sensor sensorFor(
      MetricCatalogue.Def def, org.apache.kafka.common.metrics.MeasurableStat stat) {
    Sensor s = sensor(def.name());
    s.add(def.metricName(clientId, threadId, taskId), stat);
    return s;
  }

  void add(MetricName name, DoubleSupplier value) {
    register(name, (Measurable) (config, now) -> value.getAsDouble());
  }

  void register(MetricName name, MetricValueProvider<?> provider) {
    registry.addMetric(name, provider);
    names.add(name);
  }

  Sensor sensor(String suffix) {
    String name = "weir." + clientId + "." + threadId + "." + taskId + "." + suffix;
    sensors.add(name);
    return registry.sensor(name);
  }

  void ownSensorMetric(MetricName name) {
    names.add(name);
  }

  /** Removes every metric registered through this scope. */
  @Override
  public void close() {
    sensors.forEach(registry::removeSensor);
    names.forEach(registry::removeMetric);
    sensors.clear();
    names.clear();
    groups.clear();
    if (ownsRegistry) {
      registry.close();
    }
  }
}
