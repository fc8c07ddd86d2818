package dev.weir.internal.task;

import dev.weir.functions.Collector;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowFunction;

/** Adapts the user-facing window functions to {@link WindowOperator.WindowProcess}. */
final class WindowFunctions {
  private WindowFunctions() {}

  /** Emits the window's pre-aggregated result as it is. */
  public static <R, K, W extends Window> WindowOperator.WindowProcess<R, R, K, W> passThrough() {
    return new PassThrough<>();
  }

  public static <R, O, K, W extends Window> WindowOperator.WindowProcess<R, O, K, W> of(
      WindowFunction<R, O, K, W> f) {
    return new Apply<>(f);
  }

  public static <R, O, K, W extends Window> WindowOperator.WindowProcess<R, O, K, W> of(
      ProcessWindowFunction<R, O, K, W> f) {
    return new Process<>(f);
  }

  private static final class PassThrough<R, K, W extends Window>
      implements WindowOperator.WindowProcess<R, R, K, W> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        K key,
        W window,
        Iterable<R> input,
        ProcessWindowFunction<R, R, K, W>.Context ctx,
        Collector<R> out) {
      for (R r : input) {
        out.collect(r);
      }
    }
  }

  private static final class Apply<R, O, K, W extends Window>
      implements WindowOperator.WindowProcess<R, O, K, W> {
    private static final long serialVersionUID = 1L;
    private final WindowFunction<R, O, K, W> f;

    Apply(WindowFunction<R, O, K, W> f) {
      this.f = f;
    }

    @Override
    public void process(
        K key,
        W window,
        Iterable<R> input,
        ProcessWindowFunction<R, O, K, W>.Context ctx,
        Collector<O> out)
        throws Exception {
      f.apply(key, window, input, out);
    }

    @Override
    public Object function() {
      return f;
    }
  }

  private static final class Process<R, O, K, W extends Window>
      implements WindowOperator.WindowProcess<R, O, K, W> {
    private static final long serialVersionUID = 1L;
    private final ProcessWindowFunction<R, O, K, W> f;

    Process(ProcessWindowFunction<R, O, K, W> f) {
      this.f = f;
    }

    @Override
    public void process(
        K key,
        W window,
        Iterable<R> input,
        ProcessWindowFunction<R, O, K, W>.Context ctx,
        Collector<O> out)
        throws Exception {
      f.process(key, ctx, input, out);
    }

    @Override
    public void clear(ProcessWindowFunction<R, O, K, W>.Context ctx) throws Exception {
      f.clear(ctx);
    }

    @Override
    public Object function() {
      return f;
    }
  }
}
