package dev.weir.internal.task;

import dev.weir.functions.CoFlatMapFunction;
import dev.weir.functions.CoMapFunction;
import dev.weir.functions.CoProcessFunction;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import java.util.function.Function;

/** The operators of connected streams without a key: co-map, co-flatMap and co-process. */
final class CoOperators {
  private CoOperators() {}

  static <I1, I2, O> TwoInputOperatorFactory<I1, I2, O> map(CoMapFunction<I1, I2, O> fn) {
    return (name, out, sides) ->
        new TwoInputFunctionOperator<I1, I2, CoMapFunction<I1, I2, O>>(name, fn) {
          @Override
          public void process1(I1 value) throws Exception {
            O result;
            try {
              result = function.map1(value);
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
            emit(result);
          }

          @Override
          public void process2(I2 value) throws Exception {
            O result;
            try {
              result = function.map2(value);
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
            emit(result);
          }

          @Override
          Emitter<I1> firstInput() {
            return this::process1;
          }

          @Override
          Emitter<I2> secondInput() {
            return this::process2;
          }

          private void emit(O result) throws Exception {
            if (result == null) {
              throw OperatorException.wrap(
                  name,
                  new NullPointerException("a CoMapFunction returned null; use flatMap to drop"));
            }
            out.emit(result);
          }
        };
  }

  static <I1, I2, O> TwoInputOperatorFactory<I1, I2, O> flatMap(CoFlatMapFunction<I1, I2, O> fn) {
    return (name, out, sides) ->
        new TwoInputFunctionOperator<I1, I2, CoFlatMapFunction<I1, I2, O>>(name, fn) {
          private final FunctionOperators.EmittingCollector<O> collector =
              new FunctionOperators.EmittingCollector<>(out);

          @Override
          public void process1(I1 value) throws Exception {
            call(() -> function.flatMap1(value, collector));
          }

          @Override
          public void process2(I2 value) throws Exception {
            call(() -> function.flatMap2(value, collector));
          }

          @Override
          Emitter<I1> firstInput() {
            return this::process1;
          }

          @Override
          Emitter<I2> secondInput() {
            return this::process2;
          }
        };
  }

  static <I1, I2, O> TwoInputOperatorFactory<I1, I2, O> process(CoProcessFunction<I1, I2, O> fn) {
    return (name, out, sides) -> new CoProcess<>(name, fn, out, sides);
  }

  /** Runs a {@link CoProcessFunction}; one context serves both inputs. */
  private static final class CoProcess<I1, I2, O>
      extends TwoInputFunctionOperator<I1, I2, CoProcessFunction<I1, I2, O>>
      implements ProcessFunction.Context {
    private final FunctionOperators.EmittingCollector<O> collector;
    private final Function<OutputTag<?>, Emitter<?>> sideOutputs;

    CoProcess(
        String name,
        CoProcessFunction<I1, I2, O> fn,
        Emitter<O> out,
        Function<OutputTag<?>, Emitter<?>> sideOutputs) {
      super(name, fn);
      this.collector = new FunctionOperators.EmittingCollector<>(out);
      this.sideOutputs = sideOutputs;
    }

    @Override
    public void process1(I1 value) throws Exception {
      call(() -> function.processElement1(value, this, collector));
    }

    @Override
    public void process2(I2 value) throws Exception {
      call(() -> function.processElement2(value, this, collector));
    }

    @Override
    Emitter<I1> firstInput() {
      return this::process1;
    }

    @Override
    Emitter<I2> secondInput() {
      return this::process2;
    }

    @Override
    public long timestamp() {
      return task.record().timestamp();
    }

    @Override
    public long currentWatermark() {
      return task.currentWatermark();
    }

    @Override
    public long currentProcessingTime() {
      return task.currentProcessingTime();
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      ProcessOperator.emitSide(sideOutputs, tag, value);
    }
  }
}
