package dev.weir.internal.task;

import dev.weir.functions.RuntimeContext;
import dev.weir.state.AggregatingState;
import dev.weir.state.AggregatingStateDescriptor;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;

/** The runtime context of an operator with a store: the basic context plus its states. */
final class StatefulRuntimeContext implements RuntimeContext {
  private final RuntimeContext basic;
  private final OperatorStates states;

  StatefulRuntimeContext(RuntimeContext basic, OperatorStates states) {
    this.basic = basic;
    this.states = states;
  }

  @Override
  public String applicationId() {
    return basic.applicationId();
  }

  @Override
  public String operatorName() {
    return basic.operatorName();
  }

  @Override
  public String taskId() {
    return basic.taskId();
  }

  @Override
  public dev.weir.metrics.MetricGroup getMetricGroup() {
    return basic.getMetricGroup();
  }

  @Override
  public int indexOfThisSubtask() {
    return basic.indexOfThisSubtask();
  }

  @Override
  public int numberOfParallelSubtasks() {
    return basic.numberOfParallelSubtasks();
  }

  @Override
  public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
    return states.value(descriptor);
  }

  @Override
  public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
    return states.list(descriptor);
  }

  @Override
  public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
    return states.map(descriptor);
  }

  @Override
  public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> descriptor) {
    return states.reducing(descriptor);
  }

  @Override
  public <I, A, O> AggregatingState<I, O> getAggregatingState(
      AggregatingStateDescriptor<I, A, O> descriptor) {
    return states.aggregating(descriptor);
  }

  @Override
  public <T> ListState<T> getOperatorListState(ListStateDescriptor<T> descriptor) {
    return states.operatorList(descriptor);
  }
}
