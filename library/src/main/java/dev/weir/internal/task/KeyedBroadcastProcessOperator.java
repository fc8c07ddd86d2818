package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;
import dev.weir.functions.KeyedBroadcastProcessFunction;
import dev.weir.functions.OutputTag;
import dev.weir.state.BroadcastState;
import dev.weir.state.KeyedStateFunction;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReadOnlyBroadcastState;
import dev.weir.state.State;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * Runs a {@link KeyedBroadcastProcessFunction}: input 0 is the keyed stream (keyed state, timers,
 * read-only broadcast state), input 1 the broadcast stream (writable broadcast state, visits of
 * every key's state through {@code applyToKeyedState}).
 */
final class KeyedBroadcastProcessOperator<K, I1, I2, O>
    extends TwoInputFunctionOperator<I1, I2, KeyedBroadcastProcessFunction<K, I1, I2, O>> {
  private final FunctionOperators.EmittingCollector<O> collector;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final List<MapStateDescriptor<?, ?>> descriptors;
  private final Deserializer<K> keyDeserializer;
  private final ElementContext elementContext;
  private final BroadcastContext broadcastContext;
  private final KeyedContext.TimerHandler onTimer = this::fire;
  private KeyedContext<K> keyed;
  private BroadcastStates broadcast;

  private KeyedBroadcastProcessOperator(
      String name,
      KeyedBroadcastProcessFunction<K, I1, I2, O> function,
      Serde<K> keySerde,
      List<MapStateDescriptor<?, ?>> descriptors,
      Emitter<O> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name, function);
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.sideOutputs = sideOutputs;
    this.descriptors = descriptors;
    this.keyDeserializer = keySerde.deserializer();
    this.elementContext = new ElementContext(this.function);
    this.broadcastContext = new BroadcastContext(this.function);
  }

  static <K, I1, I2, O> TwoInputOperatorFactory<I1, I2, O> factory(
      KeyedBroadcastProcessFunction<K, I1, I2, O> fn,
      Serde<K> keySerde,
      List<MapStateDescriptor<?, ?>> descriptors) {
    return (name, out, sides) ->
        new KeyedBroadcastProcessOperator<>(name, fn, keySerde, descriptors, out, sides);
  }

  @Override
  protected void doOpen() throws Exception {
    keyed = KeyedContext.of(name, storeName, task, keyDeserializer);
    broadcast = new BroadcastStates(name, keyed.states(), descriptors);
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

  @Override
  public void onWatermark(long watermark) throws Exception {
    keyed.fireEventTimers(watermark, onTimer);
  }

  @Override
  public void onProcessingTime(long now) throws Exception {
    keyed.fireProcessingTimers(now, onTimer);
  }

  private void fire(long time, byte[] namespace, TimeDomain domain) throws Exception {
    elementContext.domain = domain;
    call(() -> function.onTimer(time, elementContext, collector));
  }

  /**
   * Visits every key of the task with a value in state {@code name}: the record context holds the
   * visited key during the call, and no key afterwards, as on the broadcast side before.
   */
  private <S extends State> void visitKeys(String name, S state, KeyedStateFunction<K, S> function)
      throws Exception {
    RecordContext rc = task.record();
    try {
      for (byte[] key : keyed.states().keysOf(name)) {
        rc.keyBytes = key;
        function.process(keyed.currentKey(), state);
      }
    } finally {
      rc.keyBytes = null;
    }
  }

  /** The keyed side's context, also the timers' (an OnTimerContext is a ReadOnlyContext). */
  private final class ElementContext
      extends KeyedBroadcastProcessFunction<K, I1, I2, O>.OnTimerContext {
    TimeDomain domain;

    ElementContext(KeyedBroadcastProcessFunction<K, I1, I2, O> f) {
      f.super();
    }

    @Override
    public TimeDomain timeDomain() {
      return domain;
    }

    @Override
    public <MK, MV> ReadOnlyBroadcastState<MK, MV> getBroadcastState(MapStateDescriptor<MK, MV> d) {
      return broadcast.readOnly(d);
    }

    @Override
    public K getCurrentKey() {
      return keyed.currentKey();
    }

    @Override
    public TimerService timerService() {
      return keyed.timerService();
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

  private final class BroadcastContext extends KeyedBroadcastProcessFunction<K, I1, I2, O>.Context {
    BroadcastContext(KeyedBroadcastProcessFunction<K, I1, I2, O> f) {
      f.super();
    }

    @Override
    public <MK, MV> BroadcastState<MK, MV> getBroadcastState(MapStateDescriptor<MK, MV> d) {
      return broadcast.writable(d);
    }

    @Override
    public <T> void applyToKeyedState(
        ValueStateDescriptor<T> d, KeyedStateFunction<K, ValueState<T>> f) throws Exception {
      visitKeys(d.name(), keyed.states().value(d), f);
    }

    @Override
    public <T> void applyToKeyedState(
        ListStateDescriptor<T> d, KeyedStateFunction<K, ListState<T>> f) throws Exception {
      visitKeys(d.name(), keyed.states().list(d), f);
    }

    @Override
    public <MK, MV> void applyToKeyedState(
        MapStateDescriptor<MK, MV> d, KeyedStateFunction<K, MapState<MK, MV>> f) throws Exception {
      visitKeys(d.name(), keyed.states().map(d), f);
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
