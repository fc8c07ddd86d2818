package dev.weir.functions;

import dev.weir.state.AggregatingState;
import dev.weir.state.AggregatingStateDescriptor;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.StateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;

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

  /**
   * Returns the metric group of this operator in this task: the counters, gauges, histograms and
   * meters registered there are tagged with the task and operator and reported with Weir's own
   * metrics (JMX, {@code metric.reporters}, {@code WeirApplication.metrics()}, Micrometer). Call in
   * {@code open()} and keep what it returns.
   *
   * @return the group; not null
   */
  dev.weir.metrics.MetricGroup getMetricGroup();

  /**
   * Returns this operator's value state for {@code descriptor}, scoped to the current key. Call in
   * {@code open()} and keep the handle.
   *
   * @param descriptor the state's name and serde
   * @param <T> value type
   * @return the handle
   * @throws IllegalStateException if the operator is not on a keyed stream, or the name is already
   *     used by a state of another kind
   */
  default <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
    throw noState(this, descriptor);
  }

  /**
   * Returns this operator's list state for {@code descriptor}, scoped to the current key.
   *
   * @param descriptor the state's name and element serde
   * @param <T> element type
   * @return the handle
   * @throws IllegalStateException as {@link #getState}
   */
  default <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
    throw noState(this, descriptor);
  }

  /**
   * Returns this operator's map state for {@code descriptor}, scoped to the current key.
   *
   * @param descriptor the state's name and serdes
   * @param <K> map key type
   * @param <V> map value type
   * @return the handle
   * @throws IllegalStateException as {@link #getState}
   */
  default <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
    throw noState(this, descriptor);
  }

  /**
   * Returns this operator's reducing state for {@code descriptor}, scoped to the current key.
   *
   * @param descriptor the state's name, reduce function and serde
   * @param <T> value type
   * @return the handle
   * @throws IllegalStateException as {@link #getState}
   */
  default <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> descriptor) {
    throw noState(this, descriptor);
  }

  /**
   * Returns this operator's aggregating state for {@code descriptor}, scoped to the current key.
   *
   * @param descriptor the state's name, aggregate function and accumulator serde
   * @param <I> input type
   * @param <A> accumulator type
   * @param <O> result type
   * @return the handle
   * @throws IllegalStateException as {@link #getState}
   */
  default <I, A, O> AggregatingState<I, O> getAggregatingState(
      AggregatingStateDescriptor<I, A, O> descriptor) {
    throw noState(this, descriptor);
  }

  /**
   * Returns operator list state: one list per task (not per key), kept across restarts and task
   * moves. Available to functions on keyed streams and to rich functions anywhere.
   *
   * @param descriptor the state's name and element serde
   * @param <T> element type
   * @return the handle
   * @throws IllegalStateException if the operator has no state store
   */
  default <T> ListState<T> getOperatorListState(ListStateDescriptor<T> descriptor) {
    throw noState(this, descriptor);
  }

  private static IllegalStateException noState(RuntimeContext ctx, StateDescriptor<?> d) {
    return new IllegalStateException(
        "Operator '"
            + ctx.operatorName()
            + "' asked for "
            + d
            + " but has no state: keyed state needs a keyed stream (apply the function after"
            + " keyBy(...)), and state is available only to functions running inside a task");
  }
}
