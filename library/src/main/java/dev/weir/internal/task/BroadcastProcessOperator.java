package dev.weir.internal.task;

import dev.weir.functions.BroadcastProcessFunction;
import dev.weir.functions.OutputTag;
import dev.weir.state.BroadcastState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReadOnlyBroadcastState;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a {@link BroadcastProcessFunction}: input 0 is the non-broadcast stream (read-only broadcast
 * state), input 1 the broadcast stream (writable broadcast state).
 */
final class BroadcastProcessOperator<I1, I2, O>
    extends TwoInputFunctionOperator<I1, I2, BroadcastProcessFunction<I1, I2, O>> {
  private final FunctionOperators.EmittingCollector<O> collector;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final List<MapStateDescriptor<?, ?>> descriptors;
  private final ElementContext elementContext;
  private final BroadcastContext broadcastContext;
  private BroadcastStates broadcast;

  private BroadcastProcessOperator(
      String name,
      BroadcastProcessFunction<I1, I2, O> function,
      List<MapStateDescriptor<?, ?>> descriptors,
      Emitter<O> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name, function);
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.sideOutputs = sideOutputs;
    this.descriptors = descriptors;
    this.elementContext = new ElementContext(this.function);
    this.broadcastContext = new BroadcastContext(this.function);
  }

  static <I1, I2, O> TwoInputOperatorFactory<I1, I2, O> factory(
      BroadcastProcessFunction<I1, I2, O> fn, List<MapStateDescriptor<?, ?>> descriptors) {
    return (name, out, sides) -> new BroadcastProcessOperator<>(name, fn, descriptors, out, sides);
  }

  @Override
  protected void doOpen() throws Exception {
    broadcast = new BroadcastStates(name, task.operatorStates(name, storeName), descriptors);
    super.doOpen();
  }

  @Override
  public void process1(I1 value) throws Exception {
    call(() -> function.processElement(value, elementContext, collector));
  }

  @Override
  public void process2(I2 value) throws Exception {
    call(() -> function.processBroadcastElement(value, broadcastContext, collector));
  }

  @Override
  Emitter<I1> firstInput() {
    return this::process1;
  }

  @Override
  Emitter<I2> secondInput() {
    return this::process2;
  }

  private final class ElementContext extends BroadcastProcessFunction<I1, I2, O>.ReadOnlyContext {
    ElementContext(BroadcastProcessFunction<I1, I2, O> f) {
      f.super();
    }

    @Override
    public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> d) {
      return broadcast.readOnly(d);
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

  private final class BroadcastContext extends BroadcastProcessFunction<I1, I2, O>.Context {
    BroadcastContext(BroadcastProcessFunction<I1, I2, O> f) {
      f.super();
    }

    @Override
    public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> d) {
      return broadcast.writable(d);
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
