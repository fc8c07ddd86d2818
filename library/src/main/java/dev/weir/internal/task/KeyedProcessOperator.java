package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.OutputTag;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/** Runs a {@link KeyedProcessFunction}: a process function with keyed state. */
final class KeyedProcessOperator<K, I, O>
    extends FunctionOperator<I, KeyedProcessFunction<K, I, O>> {
  private final FunctionOperators.EmittingCollector<O> collector;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final Deserializer<K> keyDeserializer;
  private final TimerContext timerContext;
  private final KeyedContext.TimerHandler onTimer = this::fire;
  private KeyedContext<K> keyed;

  private KeyedProcessOperator(
      String name,
      KeyedProcessFunction<K, I, O> function,
      Serde<K> keySerde,
      Emitter<O> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name, function);
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.sideOutputs = sideOutputs;
    this.keyDeserializer = keySerde.deserializer();
    this.timerContext = new TimerContext(this.function);
  }

  public static <K, I, O> OperatorFactory<I, O> factory(
      KeyedProcessFunction<K, I, O> fn, Serde<K> keySerde) {
    return (name, out, sides) -> new KeyedProcessOperator<>(name, fn, keySerde, out, sides);
  }

  @Override
  protected void doOpen() throws Exception {
    keyed = KeyedContext.of(name, storeName, task, keyDeserializer);
    super.doOpen();
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
    timerContext.domain = domain;
    try {
      function.onTimer(time, timerContext, collector);
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  @Override
  public void process(I value) throws Exception {
    try {
      // One context serves records and timers (an OnTimerContext is a Context).
      function.processElement(value, timerContext, collector);
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  private final class TimerContext extends KeyedProcessFunction<K, I, O>.OnTimerContext {
    TimeDomain domain;

    TimerContext(KeyedProcessFunction<K, I, O> f) {
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
