package dev.weir.internal.task;

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
abstract class AppendingStateImpl<IN, ACC, OUT> extends StateHandle<ACC> {
  AppendingStateImpl(OperatorStates owner, StateDescriptor<ACC> d) {
    super(owner, d, true);
  }

  AppendingStateImpl(OperatorStates owner, StateDescriptor<ACC> d, byte[] namespacedPrefix) {
    super(owner, d, true, namespacedPrefix, true);
  }

  abstract ACC fold(ACC accumulator, IN value) throws Exception;

  abstract ACC mergeAccumulators(ACC a, ACC b) throws Exception;

  @Override
  void mergeNamespaces(java.util.Collection<byte[]> sources, byte[] target) throws Exception {
    owner.setNamespace(target);
    byte[] p = readPayload(currentKeyPrefix());
    ACC acc = p == null ? null : deserialize(p);
    for (byte[] ns : sources) {
      if (java.util.Arrays.equals(ns, target)) {
        continue;
      }
      owner.setNamespace(ns);
      byte[] key = currentKeyPrefix();
      byte[] sp = readPayload(key);
      if (sp != null) {
        ACC a = deserialize(sp);
        acc = acc == null ? a : mergeAccumulators(acc, a);
        store.delete(key);
      }
    }
    owner.setNamespace(target);
    if (acc != null) {
      store.put(currentKeyPrefix(), encode(serialize(acc)));
    }
  }

  /** Reads the current accumulator (null when empty). */
  public ACC accumulator() {
    byte[] p = readPayload(currentKeyPrefix());
    return p == null ? null : deserialize(p);
  }

  /** The result of an accumulator. */
  public OUT resultOf(ACC accumulator) {
    return result(accumulator);
  }

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

  /** Reducing state. */
  public static final class Reducing<T> extends AppendingStateImpl<T, T, T>
      implements ReducingState<T> {
    private final ReduceFunction<T> reducer;

    Reducing(OperatorStates owner, ReducingStateDescriptor<T> d) {
      super(owner, d);
      this.reducer = d.reducer();
    }

    Reducing(OperatorStates owner, ReducingStateDescriptor<T> d, byte[] namespacedPrefix) {
      super(owner, d, namespacedPrefix);
      this.reducer = d.reducer();
    }

    @Override
    T mergeAccumulators(T a, T b) throws Exception {
      return reducer.reduce(a, b);
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

  /** Aggregating state. */
  public static final class Aggregating<I, A, O> extends AppendingStateImpl<I, A, O>
      implements AggregatingState<I, O> {
    private final AggregateFunction<I, A, O> aggregator;

    Aggregating(OperatorStates owner, AggregatingStateDescriptor<I, A, O> d) {
      super(owner, d);
      this.aggregator = d.aggregator();
    }

    Aggregating(
        OperatorStates owner, AggregatingStateDescriptor<I, A, O> d, byte[] namespacedPrefix) {
      super(owner, d, namespacedPrefix);
      this.aggregator = d.aggregator();
    }

    @Override
    A mergeAccumulators(A a, A b) {
      return aggregator.merge(a, b);
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
