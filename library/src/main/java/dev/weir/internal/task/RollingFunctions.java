package dev.weir.internal.task;

import dev.weir.errors.WeirException;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.ReduceFunction;
import java.math.BigDecimal;
import java.math.BigInteger;

/** The aggregate functions behind the rolling aggregations of a keyed stream. */
final class RollingFunctions {
  private RollingFunctions() {}

  /** A reduce function as an aggregate whose accumulator is the reduced value itself. */
  public static <T> AggregateFunction<T, T, T> reducing(ReduceFunction<T> reducer) {
    return new Reducing<>(reducer);
  }

  /** Sum of numbers (Integer, Long, Short, Byte, Double, Float, BigInteger, BigDecimal). */
  public static <T> AggregateFunction<T, T, T> sum() {
    return reducing(RollingFunctions::add);
  }

  /** The smallest value so far ({@code Comparable}); ties keep the first. */
  public static <T> AggregateFunction<T, T, T> min() {
    return reducing((a, b) -> compare(a, b) <= 0 ? a : b);
  }

  /** The largest value so far ({@code Comparable}); ties keep the first. */
  public static <T> AggregateFunction<T, T, T> max() {
    return reducing((a, b) -> compare(a, b) >= 0 ? a : b);
  }

  /** The record with the smallest extracted field so far; ties keep the first. */
  public static <T, C extends Comparable<? super C>> AggregateFunction<T, T, T> minBy(
      KeySelector<? super T, C> field) {
    return reducing((a, b) -> field.getKey(a).compareTo(field.getKey(b)) <= 0 ? a : b);
  }

  /** The record with the largest extracted field so far; ties keep the first. */
  public static <T, C extends Comparable<? super C>> AggregateFunction<T, T, T> maxBy(
      KeySelector<? super T, C> field) {
    return reducing((a, b) -> field.getKey(a).compareTo(field.getKey(b)) >= 0 ? a : b);
  }

  @SuppressWarnings("unchecked")
  private static <T> int compare(T a, T b) {
    if (!(a instanceof Comparable<?>)) {
      throw new IllegalArgumentException(
          "min()/max() need Comparable records, got "
              + a.getClass().getName()
              + "; use minBy(field)/maxBy(field) or reduce(...)");
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  @SuppressWarnings("unchecked")
  static <T> T add(T a, T b) {
    Object r;
    if (a instanceof Long x) {
      r = x + (Long) b;
    } else if (a instanceof Integer x) {
      r = x + (Integer) b;
    } else if (a instanceof Double x) {
      r = x + (Double) b;
    } else if (a instanceof Float x) {
      r = x + (Float) b;
    } else if (a instanceof Short x) {
      r = (short) (x + (Short) b);
    } else if (a instanceof Byte x) {
      r = (byte) (x + (Byte) b);
    } else if (a instanceof BigDecimal x) {
      r = x.add((BigDecimal) b);
    } else if (a instanceof BigInteger x) {
      r = x.add((BigInteger) b);
    } else {
      throw new IllegalArgumentException(
          "sum() needs numeric records (Long, Integer, Double, ...), got "
              + a.getClass().getName()
              + "; use reduce(...) or aggregate(...)");
    }
    return (T) r;
  }

  private static final class Reducing<T> implements AggregateFunction<T, T, T> {
    private static final long serialVersionUID = 1L;
    private final ReduceFunction<T> reducer;

    Reducing(ReduceFunction<T> reducer) {
      this.reducer = reducer;
    }

    @Override
    public T createAccumulator() {
      return null;
    }

    @Override
    public T add(T value, T accumulator) {
      if (accumulator == null) {
        return value;
      }
      T r;
      try {
        r = reducer.reduce(accumulator, value);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new WeirException("reduce failed: " + e, e);
      }
      if (r == null) {
        throw new NullPointerException("reduce returned null");
      }
      return r;
    }

    @Override
    public T getResult(T accumulator) {
      return accumulator;
    }

    @Override
    public T merge(T a, T b) {
      return add(b, a);
    }
  }
}
