package dev.weir.internal.task;

import dev.weir.functions.AggregateFunction;
import dev.weir.state.AggregatingStateDescriptor;
import org.apache.kafka.common.serialization.Serde;

/**
 * A rolling aggregation on a keyed stream ({@code reduce}, {@code aggregate}, {@code sum}, {@code
 * min}, {@code max}, {@code minBy}, {@code maxBy}): folds each record into the key's accumulator
 * and emits the new result, so every update goes downstream.
 */
final class RollingOperator<T, A, R> extends Operator<T> {
  /** The state name of the accumulator inside the operator's store. */
  public static final String STATE_NAME = "rolling";

  private final AggregateFunction<T, A, R> function;
  private final Serde<A> accumulatorSerde;
  private final Emitter<R> out;
  private AppendingStateImpl<T, A, R> state;

  private RollingOperator(
      String name, AggregateFunction<T, A, R> function, Serde<A> serde, Emitter<R> out) {
    super(name);
    this.function = FunctionCopier.copy(function, name);
    this.accumulatorSerde = serde;
    this.out = out;
  }

  public static <T, A, R> OperatorFactory<T, R> factory(
      AggregateFunction<T, A, R> function, Serde<A> accumulatorSerde) {
    return (name, out, sides) -> new RollingOperator<>(name, function, accumulatorSerde, out);
  }

  @Override
  protected void doOpen() {
    state =
        KeyedContext.of(name, storeName, task, null)
            .states()
            .rolling(new AggregatingStateDescriptor<>(STATE_NAME, function, accumulatorSerde));
  }

  @Override
  public void process(T value) throws Exception {
    R result;
    try {
      result = state.addAndGet(value);
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
    out.emit(result);
  }
}
