package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.internal.state.OperatorStates;
import dev.weir.internal.state.TimerStore;
import dev.weir.stream.OutputTag;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/** Runs a {@link KeyedProcessFunction}: a process function with keyed state. */
public final class KeyedProcessOperator<K, I, O>
    extends FunctionOperator<I, KeyedProcessFunction<K, I, O>> {
  private final FunctionOperators.EmittingCollector<O> collector;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final Deserializer<K> keyDeserializer;
  private final TimerContext timerContext;
  private final TimerServiceImpl timerService = new TimerServiceImpl();
  private TimerStore timers;
  private byte[] lastKeyBytes;
  private K lastKey;

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

  @Override
  protected void doOpen() throws Exception {
    OperatorStates states = task.operatorStates(name, storeName);
    timers = states == null ? null : states.timers();
    super.doOpen();
  }

  @Override
  public void onWatermark(long watermark) throws Exception {
    if (timers != null) {
      timers.fireUpTo(TimerStore.EVENT, watermark, (t, key) -> fire(t, key, TimeDomain.EVENT_TIME));
    }
  }

  @Override
  public void onProcessingTime(long now) throws Exception {
    if (timers != null) {
      timers.fireUpTo(
          TimerStore.PROCESSING, now, (t, key) -> fire(t, key, TimeDomain.PROCESSING_TIME));
    }
  }

  private void fire(long time, byte[] key, TimeDomain domain) throws Exception {
    task.record().setTimer(time, key);
    timerContext.domain = domain;
    try {
      function.onTimer(time, timerContext, collector);
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  public static <K, I, O> OperatorFactory<I, O> factory(
      KeyedProcessFunction<K, I, O> fn, Serde<K> keySerde) {
    return (name, out, sides) -> new KeyedProcessOperator<>(name, fn, keySerde, out, sides);
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

  K currentKey() {
    byte[] bytes = task.record().keyBytes();
    if (bytes != lastKeyBytes) {
      lastKey = keyDeserializer.deserialize(task.record().topic(), bytes);
      lastKeyBytes = bytes;
    }
    return lastKey;
  }

  private byte[] currentKeyBytes() {
    byte[] k = task.record().keyBytes();
    if (k == null) {
      throw new IllegalStateException(
          "Operator '" + name + "': timers can be used only while processing a keyed record");
    }
    return k;
  }

  private final class TimerServiceImpl implements TimerService {
    @Override
    public long currentProcessingTime() {
      return task.currentProcessingTime();
    }

    @Override
    public long currentWatermark() {
      return task.currentWatermark();
    }

    @Override
    public void registerEventTimeTimer(long time) {
      timers.register(TimerStore.EVENT, time, currentKeyBytes());
      if (time <= task.currentWatermark()) {
        task.setTimersDue();
      }
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
      timers.register(TimerStore.PROCESSING, time, currentKeyBytes());
    }

    @Override
    public void deleteEventTimeTimer(long time) {
      timers.delete(TimerStore.EVENT, time, currentKeyBytes());
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
      timers.delete(TimerStore.PROCESSING, time, currentKeyBytes());
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
      return currentKey();
    }

    @Override
    public long currentWatermark() {
      return task.currentWatermark();
    }

    @Override
    public TimerService timerService() {
      return timerService;
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
