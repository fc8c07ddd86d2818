package dev.weir.internal.task;

import dev.weir.functions.Collector;
import dev.weir.functions.FilterFunction;
import dev.weir.functions.FlatMapFunction;
import dev.weir.functions.MapFunction;
import dev.weir.functions.RichFunction;

/** The stateless chained operators: map, filter, flatMap. */
public final class FunctionOperators {
  private FunctionOperators() {}

  /** Opens a rich function with the task's runtime context; a no-op for plain functions. */
  static void openFunction(Object fn, TaskContext task, String name) throws Exception {
    if (fn instanceof RichFunction rich) {
      rich.setRuntimeContext(task.runtimeContext(name));
      rich.open();
    }
  }

  static void closeFunction(Object fn) throws Exception {
    if (fn instanceof RichFunction rich) {
      rich.close();
    }
  }

  public static <I, O> OperatorFactory<I, O> map(MapFunction<? super I, ? extends O> fn) {
    return (name, out, sides) ->
        new Operator<I>(name) {
          private final MapFunction<? super I, ? extends O> f = FunctionCopier.copy(fn, name);

          @Override
          protected void doOpen() throws Exception {
            openFunction(f, task, name);
          }

          @Override
          public void process(I value) throws Exception {
            O result;
            try {
              result = f.map(value);
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
            if (result == null) {
              throw OperatorException.wrap(
                  name, new NullPointerException("map returned null; use flatMap to drop records"));
            }
            out.emit(result);
          }

          @Override
          public void close() throws Exception {
            closeFunction(f);
          }
        };
  }

  public static <T> OperatorFactory<T, T> filter(FilterFunction<? super T> fn) {
    return (name, out, sides) ->
        new Operator<T>(name) {
          private final FilterFunction<? super T> f = FunctionCopier.copy(fn, name);

          @Override
          protected void doOpen() throws Exception {
            openFunction(f, task, name);
          }

          @Override
          public void process(T value) throws Exception {
            boolean keep;
            try {
              keep = f.filter(value);
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
            if (keep) {
              out.emit(value);
            }
          }

          @Override
          public void close() throws Exception {
            closeFunction(f);
          }
        };
  }

  public static <I, O> OperatorFactory<I, O> flatMap(FlatMapFunction<? super I, O> fn) {
    return (name, out, sides) ->
        new Operator<I>(name) {
          private final FlatMapFunction<? super I, O> f = FunctionCopier.copy(fn, name);
          private final EmittingCollector<O> collector = new EmittingCollector<>(out);

          @Override
          protected void doOpen() throws Exception {
            openFunction(f, task, name);
          }

          @Override
          public void process(I value) throws Exception {
            try {
              f.flatMap(value, collector);
            } catch (EmittingCollector.DownstreamFailure d) {
              throw d.getCause() instanceof Exception e ? e : new RuntimeException(d.getCause());
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
          }

          @Override
          public void close() throws Exception {
            closeFunction(f);
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
