package dev.weir.internal.task;

import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import java.util.function.Function;

/** Runs a {@link ProcessFunction}: main output plus side outputs. */
final class ProcessOperator<I, O> extends FunctionOperator<I, ProcessFunction<? super I, O>>
    implements ProcessFunction.Context {
  private final FunctionOperators.EmittingCollector<O> collector;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;

  private ProcessOperator(
      String name,
      ProcessFunction<? super I, O> function,
      Emitter<O> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name, function);
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.sideOutputs = sideOutputs;
  }

  public static <I, O> OperatorFactory<I, O> factory(ProcessFunction<? super I, O> fn) {
    return (name, out, sides) -> new ProcessOperator<>(name, fn, out, sides);
  }

  @Override
  public void process(I value) throws Exception {
    try {
      function.processElement(value, this, collector);
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
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
    emitSide(sideOutputs, tag, value);
  }

  /** Emits to a side output; shared by every operator that has side outputs. */
  static <X> void emitSide(Function<OutputTag<?>, Emitter<?>> sides, OutputTag<X> tag, X value) {
    if (value == null) {
      throw new NullPointerException("side output " + tag.name() + ": records must not be null");
    }
    @SuppressWarnings("unchecked")
    Emitter<X> e = (Emitter<X>) sides.apply(tag);
    try {
      e.emit(value);
    } catch (Exception ex) {
      throw new FunctionOperators.EmittingCollector.DownstreamFailure(ex);
    }
  }
}
