package dev.weir.internal.state;

import dev.weir.errors.WeirException;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.ReduceFunction;
import dev.weir.state.AggregatingState;
import dev.weir.state.AggregatingStateDescriptor;
import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.StateDescriptor;
import java.util.Objects;

/**
 * Reducing and aggregating state: one stored accumulator per key, folded on every add.
 *
 * @param <IN> added values
 * @param <ACC> the stored accumulator
 * @param <OUT> the result
 */
public abstract class AppendingStateImpl<IN, ACC, OUT> extends StateHandle<ACC> {
  AppendingStateImpl(OperatorStates owner, StateDescriptor<ACC> d) {
    super(owner, d, true);
  }

  abstract ACC fold(ACC accumulator, IN value) throws Exception;

  abstract OUT result(ACC accumulator);

  public OUT get() {
    byte[] p = readPayload(currentKeyPrefix());
    return p == null ? null : result(deserialize(p));
  }

  public void add(IN value) {
    addAndGet(value);
  }

  /** Adds and returns the new result, without reading the state back (rolling aggregations). */
  public OUT addAndGet(IN value) {
    Objects.requireNonNull(value, () -> descriptor + ": add(null)");
    byte[] key = currentKeyPrefix();
    byte[] p = readPayload(key);
    ACC next;
    try {
      next = fold(p == null ? null : deserialize(p), value);
    } catch (Exception e) {
      throw new WeirException("The function of " + descriptor + " failed: " + e, e);
    }
    store.put(key, encode(serialize(next)));
    return result(next);
  }

  @Override
  public void clear() {
    store.delete(currentKeyPrefix());
  }

  static final class Reducing<T> extends AppendingStateImpl<T, T, T> implements ReducingState<T> {
    private final ReduceFunction<T> reducer;

    Reducing(OperatorStates owner, ReducingStateDescriptor<T> d) {
      super(owner, d);
      this.reducer = d.reducer();
    }

    @Override
    T fold(T accumulator, T value) throws Exception {
      return accumulator == null ? value : reducer.reduce(accumulator, value);
    }

    @Override
    T result(T accumulator) {
      return accumulator;
    }
  }

  static final class Aggregating<I, A, O> extends AppendingStateImpl<I, A, O>
      implements AggregatingState<I, O> {
    private final AggregateFunction<I, A, O> aggregator;

    Aggregating(OperatorStates owner, AggregatingStateDescriptor<I, A, O> d) {
      super(owner, d);
      this.aggregator = d.aggregator();
    }

    @Override
    A fold(A accumulator, I value) {
      return aggregator.add(
          value, accumulator == null ? aggregator.createAccumulator() : accumulator);
    }

    @Override
    O result(A accumulator) {
      return aggregator.getResult(accumulator);
    }
  }
}
