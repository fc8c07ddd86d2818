package dev.weir.internal.task;

import dev.weir.functions.Collector;
import dev.weir.functions.FilterFunction;
import dev.weir.functions.FlatMapFunction;
import dev.weir.functions.MapFunction;

/** The stateless chained operators: map, filter, flatMap. */
final class FunctionOperators {
  private FunctionOperators() {}

  public static <I, O> OperatorFactory<I, O> map(MapFunction<? super I, ? extends O> fn) {
    return (name, out, sides) ->
        new FunctionOperator<I, MapFunction<? super I, ? extends O>>(name, fn) {
          @Override
          public void process(I value) throws Exception {
            O result;
            try {
              result = function.map(value);
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
            if (result == null) {
              throw OperatorException.wrap(
                  name, new NullPointerException("map returned null; use flatMap to drop records"));
            }
            out.emit(result);
          }
        };
  }

  public static <T> OperatorFactory<T, T> filter(FilterFunction<? super T> fn) {
    return (name, out, sides) ->
        new FunctionOperator<T, FilterFunction<? super T>>(name, fn) {
          @Override
          public void process(T value) throws Exception {
            boolean keep;
            try {
              keep = function.filter(value);
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
            if (keep) {
              out.emit(value);
            }
          }
        };
  }

  public static <I, O> OperatorFactory<I, O> flatMap(FlatMapFunction<? super I, O> fn) {
    return (name, out, sides) ->
        new FunctionOperator<I, FlatMapFunction<? super I, O>>(name, fn) {
          private final EmittingCollector<O> collector = new EmittingCollector<>(out);

          @Override
          public void process(I value) throws Exception {
            try {
              function.flatMap(value, collector);
            } catch (EmittingCollector.DownstreamFailure d) {
              throw (Exception) d.getCause();
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
          }
        };
  }

  /**
   * A {@link Collector} over an {@link Emitter}. A failure further down the chain is carried
   * through the user's function unchanged (wrapped in {@link DownstreamFailure}) so that it is
   * attributed to the operator where it happened, not to this one.
   */
  static final class EmittingCollector<O> implements Collector<O> {
    private final Emitter<O> out;

    EmittingCollector(Emitter<O> out) {
      this.out = out;
    }

    @Override
    public void collect(O record) {
      if (record == null) {
        throw new NullPointerException("Collector.collect(null): records must not be null");
      }
      try {
        out.emit(record);
      } catch (Exception e) {
        throw new DownstreamFailure(e);
      }
    }

    static final class DownstreamFailure extends RuntimeException {
      private static final long serialVersionUID = 1L;

      DownstreamFailure(Exception cause) {
        super(cause);
      }
    }
  }
}
