package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;
import dev.weir.functions.KeyedCoProcessFunction;
import dev.weir.functions.OutputTag;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * Runs a {@link KeyedCoProcessFunction}: both inputs share one {@link KeyedContext}, so a record of
 * either input sees the keyed state of its key and can register timers that fire into {@code
 * onTimer} whatever input registered them.
 */
final class KeyedCoProcessOperator<K, I1, I2, O>
    extends TwoInputFunctionOperator<I1, I2, KeyedCoProcessFunction<K, I1, I2, O>> {
  private final FunctionOperators.EmittingCollector<O> collector;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final Deserializer<K> keyDeserializer;
  private final TimerContext context;
  private final KeyedContext.TimerHandler onTimer = this::fire;
  private KeyedContext<K> keyed;

  private KeyedCoProcessOperator(
      String name,
      KeyedCoProcessFunction<K, I1, I2, O> function,
      Serde<K> keySerde,
      Emitter<O> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name, function);
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.sideOutputs = sideOutputs;
    this.keyDeserializer = keySerde.deserializer();
    this.context = new TimerContext(this.function);
  }

  static <K, I1, I2, O> TwoInputOperatorFactory<I1, I2, O> factory(
      KeyedCoProcessFunction<K, I1, I2, O> fn, Serde<K> keySerde) {
    return (name, out, sides) -> new KeyedCoProcessOperator<>(name, fn, keySerde, out, sides);
  }

  @Override
  protected void doOpen() throws Exception {
    keyed = KeyedContext.of(name, storeName, task, keyDeserializer);
    super.doOpen();
  }

  @Override
  public void process1(I1 value) throws Exception {
    call(() -> function.processElement1(value, context, collector));
  }

  @Override
  public void process2(I2 value) throws Exception {
    call(() -> function.processElement2(value, context, collector));
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
    context.domain = domain;
    call(() -> function.onTimer(time, context, collector));
  }

  /** One context serves records of both inputs and timers (an OnTimerContext is a Context). */
  private final class TimerContext extends KeyedCoProcessFunction<K, I1, I2, O>.OnTimerContext {
    TimeDomain domain;

    TimerContext(KeyedCoProcessFunction<K, I1, I2, O> f) {
      f.super();
    }

    @Override
    public TimeDomain timeDomain() {
      return domain;
    }

    @Override
    public long timestamp() {
      return task.record().timestamp();
    }

    @Override
    public K getCurrentKey() {
      return keyed.currentKey();
    }

    @Override
    public long currentWatermark() {
      return task.currentWatermark();
    }

    @Override
    public TimerService timerService() {
      return keyed.timerService();
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
