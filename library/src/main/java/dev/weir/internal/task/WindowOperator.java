package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.functions.RichFunction;
import dev.weir.internal.metrics.MetricCatalogue;
import dev.weir.state.AggregatingStateDescriptor;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.StateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.windowing.Evictor;
import dev.weir.windowing.MergingWindowAssigner;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TimestampedValue;
import dev.weir.windowing.Trigger;
import dev.weir.windowing.TriggerResult;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowAssigner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The window operator: assigns records to windows, keeps each window's contents in the operator's
 * store (an accumulator for reduce/aggregate, the records for full functions), asks the trigger
 * what to do on each record and timer, evaluates the window function, drops or side-outputs late
 * records, and cleans every window's state up at {@code end - 1 + allowedLateness} with a timer.
 *
 * <p>Everything lives in the store under the current key, with the window as namespace, so no
 * per-window object stays on the heap between records, and a session merge touches only the
 * sessions of one key (kept in a per-key window list).
 *
 * @param <K> key type
 * @param <IN> record type
 * @param <ACC> accumulator type (aggregating mode) or IN (list mode)
 * @param <R> what the window function receives: the aggregate's result, or IN
 * @param <OUT> output type
 * @param <W> window type
 */
final class WindowOperator<K, IN, ACC, R, OUT, W extends Window> extends Operator<IN> {
  /** Late records this operator dropped, for its {@code operator-metrics}. */
  private final java.util.concurrent.atomic.LongAdder lateDropped =
      new java.util.concurrent.atomic.LongAdder();

  /** The window function in a form independent of the user-facing variants. */
  public interface WindowProcess<R, OUT, K, W extends Window> extends java.io.Serializable {
    void process(
        K key,
        W window,
        Iterable<R> input,
        ProcessWindowFunction<R, OUT, K, W>.Context ctx,
        Collector<OUT> out)
        throws Exception;

    default void clear(ProcessWindowFunction<R, OUT, K, W>.Context ctx) throws Exception {}

    /** The user function to open and close, if rich. */
    default Object function() {
      return null;
    }
  }

  /** Everything a window operator is built from (copied per task). */
  public record Spec<K, IN, ACC, R, OUT, W extends Window>(
      WindowAssigner<? super IN, W> assigner,
      Trigger<? super IN, W> trigger,
      Evictor<? super IN, W> evictor,
      long allowedLateness,
      OutputTag<IN> lateTag,
      Serde<K> keySerde,
      AggregateFunction<IN, ACC, R> aggregate,
      Serde<ACC> accumulatorSerde,
      Serde<IN> elementSerde,
      WindowProcess<R, OUT, K, W> function) {}

  private static final String CONTENTS = "contents";
  private static final String WINDOWS = "windows";

  private final WindowAssigner<? super IN, W> assigner;
  private final Trigger<? super IN, W> trigger;
  private final Evictor<? super IN, W> evictor;
  private final long allowedLateness;
  private final OutputTag<IN> lateTag;
  private final AggregateFunction<IN, ACC, R> aggregate;
  private final Serde<ACC> accumulatorSerde;
  private final Serde<IN> elementSerde;
  private final WindowProcess<R, OUT, K, W> function;
  private final Emitter<OUT> out;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final FunctionOperators.EmittingCollector<OUT> collector;
  private final boolean merging;
  private final Serializer<W> windowSerializer;
  private final Deserializer<W> windowDeserializer;
  private final Deserializer<K> keyDeserializer;
  private final Evictor.EvictorContext evictorCtx =
      new Evictor.EvictorContext() {
        @Override
        public long getCurrentProcessingTime() {
          return task.currentProcessingTime();
        }

        @Override
        public long getCurrentWatermark() {
          return task.currentWatermark();
        }
      };

  private final KeyedContext.TimerHandler onTimer = this::onTimer;
  private KeyedContext<K> keyed;
  private OperatorStates states;
  private AppendingStateImpl<IN, ACC, R> accContents;
  private ListStateImpl<TimestampedValue<IN>> listContents;

  /** Decodes a stored window element's payload ({@link #timestampedSerde}'s) to the element. */
  private LazyElements.PayloadDecoder<IN> elementDecoder;

  private ListStateImpl<W> windowList;
  private final TriggerCtx triggerCtx = new TriggerCtx();
  private ProcessWindowFunction<R, OUT, K, W>.Context functionCtx;
  private W currentWindow;

  /**
   * {@link #currentWindow} serialised: the namespace of its state and timers. Kept while the window
   * stays the same, so a record serialises its window once rather than for its state, its trigger
   * timer and its cleanup timer each.
   */
  private byte[] currentWindowBytes;

  @SuppressWarnings("unchecked")
  private WindowOperator(
      String name,
      Spec<K, IN, ACC, R, OUT, W> spec,
      Emitter<OUT> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name);
    // Functions are copied per task; serdes and tags are shared (they hold no per-task state).
    this.assigner = FunctionCopier.copy(spec.assigner(), name);
    this.trigger = FunctionCopier.copy(spec.trigger(), name);
    this.evictor = spec.evictor() == null ? null : FunctionCopier.copy(spec.evictor(), name);
    this.allowedLateness = spec.allowedLateness();
    this.lateTag = spec.lateTag();
    this.keyDeserializer = spec.keySerde().deserializer();
    this.aggregate = spec.aggregate() == null ? null : FunctionCopier.copy(spec.aggregate(), name);
    this.accumulatorSerde = spec.accumulatorSerde();
    this.elementSerde = spec.elementSerde();
    this.function = FunctionCopier.copy(spec.function(), name);
    this.out = out;
    this.sideOutputs = sideOutputs;
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.merging = assigner instanceof MergingWindowAssigner;
    Serde<W> ws = assigner.windowSerde();
    this.windowSerializer = ws.serializer();
    this.windowDeserializer = ws.deserializer();
  }

  public static <K, IN, ACC, R, OUT, W extends Window> OperatorFactory<IN, OUT> factory(
      Spec<K, IN, ACC, R, OUT, W> spec) {
    return (name, out, sides) -> new WindowOperator<>(name, spec, out, sides);
  }

  @Override
  protected void doOpen() throws Exception {
    task.metricScope()
        .operatorMetric(MetricCatalogue.OPERATOR_LATE_DROPPED, name, lateDropped::sum);
    // Timers belong to (key, window): the window is the timer's namespace.
    keyed = KeyedContext.namespaced(name, storeName, task, null);
    states = keyed.states();
    if (aggregate != null) {
      accContents =
          states.namespacedAggregating(
              CONTENTS, new AggregatingStateDescriptor<>("acc", aggregate, accumulatorSerde));
    } else {
      listContents =
          states.namespacedList(
              CONTENTS, new ListStateDescriptor<>("elements", timestampedSerde(elementSerde)));
      Deserializer<IN> d = elementSerde.deserializer();
      elementDecoder =
          (topic, bytes, offset, length) -> {
            // As timestampedSerde reads it: the element's timestamp, then the element.
            if (length < Long.BYTES) {
              throw new IllegalStateException(
                  "Window element of " + length + " bytes; the state store is corrupt");
            }
            return d.deserialize(
                topic, Arrays.copyOfRange(bytes, offset + Long.BYTES, offset + length));
          };
    }
    if (merging) {
      Serde<W> ws = assigner.windowSerde();
      windowList = states.namespacedList(WINDOWS, new ListStateDescriptor<>("set", ws));
    }
    functionCtx = new FunctionContext(dummy());
    Object f = function.function();
    if (f instanceof RichFunction rich) {
      rich.setRuntimeContext(task.runtimeContext(name, storeName));
      rich.open();
    }
  }

  @Override
  public void close() throws Exception {
    Object f = function == null ? null : function.function();
    if (f instanceof RichFunction rich) {
      rich.close();
    }
  }

  @SuppressWarnings("unchecked")
  private ProcessWindowFunction<R, OUT, K, W> dummy() {
    Object f = function.function();
    if (f instanceof ProcessWindowFunction<?, ?, ?, ?> p) {
      return (ProcessWindowFunction<R, OUT, K, W>) p;
    }
    return new ProcessWindowFunction<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public void process(K key, Context context, Iterable<R> elements, Collector<OUT> out) {}
    };
  }

  // ---- records

  @Override
  public void process(IN value) throws Exception {
    try {
      processElement(value);
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  private void processElement(IN value) throws Exception {
    long ts = task.record().timestamp();
    Collection<W> assigned = assigner.assignWindows(value, ts, task.currentProcessingTime());
    boolean skipped = true;
    for (W assignedWindow : assigned) {
      W w = merging ? mergeIn(assignedWindow) : assignedWindow;
      if (w == null || isWindowLate(w)) {
        continue;
      }
      skipped = false;
      setWindow(w);
      if (accContents != null) {
        accContents.add(value);
      } else {
        listContents.add(new TimestampedValue<>(value, ts));
      }
      TriggerResult r = trigger.onElement(value, ts, w, triggerCtx);
      act(w, r);
      registerCleanupTimer(w);
    }
    if (skipped && isElementLate(ts)) {
      if (lateTag != null) {
        ProcessOperator.emitSide(sideOutputs, lateTag, value);
      } else {
        task.metrics().lateRecordsDropped.increment();
        lateDropped.increment();
      }
    }
  }

  private void act(W w, TriggerResult r) throws Exception {
    if (r.isFire()) {
      emit(w);
    }
    if (r.isPurge()) {
      setWindow(w);
      clearContents();
    }
  }

  // ---- merging windows

  /** Adds {@code w} to the key's windows, merging; returns the window {@code w} ended up in. */
  private W mergeIn(W w) throws Exception {
    states.setNamespace(new byte[0]);
    List<W> windows = new ArrayList<>(windowList.get());
    if (!windows.contains(w)) {
      windows.add(w);
    }
    @SuppressWarnings("unchecked")
    MergingWindowAssigner<? super IN, W> m = (MergingWindowAssigner<? super IN, W>) assigner;
    Map<W, Collection<W>> merges = new LinkedHashMap<>();
    m.mergeWindows(windows, (toMerge, result) -> merges.put(result, List.copyOf(toMerge)));
    W actual = w;
    for (Map.Entry<W, Collection<W>> e : merges.entrySet()) {
      W result = e.getKey();
      Collection<W> merged = e.getValue();
      if (merged.contains(w)) {
        actual = result;
      }
      List<byte[]> sources = new ArrayList<>();
      for (W old : merged) {
        sources.add(windowBytes(old));
      }
      byte[] target = windowBytes(result);
      // Contents and trigger state of the merged windows move into the result.
      states.mergeNamespaces(CONTENTS, accContents != null ? "acc" : "elements", sources, target);
      triggerCtx.mergedSources = sources;
      setWindow(result);
      trigger.onMerge(result, triggerCtx);
      triggerCtx.mergedSources = null;
      for (W old : merged) {
        if (!old.equals(result)) {
          setWindow(old);
          trigger.clear(old, triggerCtx);
          deleteCleanupTimer(old);
        }
      }
      windows.removeAll(merged);
      windows.add(result);
    }
    states.setNamespace(new byte[0]);
    windowList.update(windows);
    return actual;
  }

  private boolean windowExists(W w) {
    if (!merging) {
      return true;
    }
    states.setNamespace(new byte[0]);
    return windowList.get().contains(w);
  }

  private void retire(W w) {
    if (merging) {
      states.setNamespace(new byte[0]);
      List<W> windows = new ArrayList<>(windowList.get());
      windows.remove(w);
      windowList.update(windows);
    }
  }

  // ---- timers

  @Override
  public void onWatermark(long watermark) throws Exception {
    keyed.fireEventTimers(watermark, onTimer);
  }

  @Override
  public void onProcessingTime(long now) throws Exception {
    keyed.fireProcessingTimers(now, onTimer);
  }

  private void onTimer(long time, byte[] windowBytes, TimeDomain domain) throws Exception {
    boolean eventTime = domain == TimeDomain.EVENT_TIME;
    W w = windowDeserializer.deserialize(name, windowBytes);
    currentWindow = w;
    currentWindowBytes = windowBytes; // the timer's namespace: no need to serialise w again
    try {
      if (!windowExists(w)) {
        return; // merged away since the timer was set
      }
      setWindow(w);
      TriggerResult r =
          eventTime
              ? trigger.onEventTime(time, w, triggerCtx)
              : trigger.onProcessingTime(time, w, triggerCtx);
      act(w, r);
      if (eventTime == assigner.isEventTime() && time == cleanupTime(w)) {
        clearAll(w);
      }
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  private long cleanupTime(W w) {
    if (!assigner.isEventTime()) {
      return w.maxTimestamp();
    }
    long t = w.maxTimestamp() + allowedLateness;
    return t >= w.maxTimestamp() ? t : Long.MAX_VALUE;
  }

  private boolean isWindowLate(W w) {
    return assigner.isEventTime() && keyed.isPast(cleanupTime(w));
  }

  private boolean isElementLate(long ts) {
    return assigner.isEventTime() && keyed.isPast(ts + allowedLateness);
  }

  private void registerCleanupTimer(W w) {
    long t = cleanupTime(w);
    if (t == Long.MAX_VALUE) {
      return; // global windows: never cleaned up by time
    }
    if (assigner.isEventTime()) {
      keyed.registerEventTimeTimer(t, bytesOf(w));
    } else {
      keyed.registerProcessingTimeTimer(t, bytesOf(w));
    }
  }

  private void deleteCleanupTimer(W w) {
    long t = cleanupTime(w);
    if (t == Long.MAX_VALUE) {
      return;
    }
    if (assigner.isEventTime()) {
      keyed.deleteEventTimeTimer(t, bytesOf(w));
    } else {
      keyed.deleteProcessingTimeTimer(t, bytesOf(w));
    }
  }

  private void clearAll(W w) throws Exception {
    setWindow(w);
    clearContents();
    trigger.clear(w, triggerCtx);
    setWindow(w);
    function.clear(functionCtx);
    retire(w);
  }

  // ---- contents and evaluation

  private void clearContents() {
    if (accContents != null) {
      accContents.clear();
    } else {
      listContents.clear();
    }
  }

  @SuppressWarnings("unchecked")
  private void emit(W w) throws Exception {
    setWindow(w);
    K key = keyDeserializer.deserialize(name, keyed.currentKeyBytes());
    long ts = w.maxTimestamp();
    if (accContents != null) {
      ACC acc = accContents.accumulator();
      if (acc == null) {
        return;
      }
      task.record().setTimestamp(ts);
      function.process(key, w, List.of(accContents.resultOf(acc)), functionCtx, collector);
      return;
    }
    if (evictor == null) {
      // Nothing keeps the elements' stored forms: decode them as the function iterates.
      LazyElements<R> lazy =
          listContents.lazyElements((LazyElements.PayloadDecoder<R>) elementDecoder);
      if (lazy != null) {
        if (lazy.size() == 0) {
          return;
        }
        task.record().setTimestamp(ts);
        function.process(key, w, lazy, functionCtx, collector);
        return;
      }
    }
    List<ListStateImpl.Stored<TimestampedValue<IN>>> stored = listContents.stored();
    if (stored.isEmpty()) {
      return;
    }
    List<TimestampedValue<IN>> elements = new ArrayList<>(stored.size());
    stored.forEach(s -> elements.add(s.value()));
    int before = elements.size();
    if (evictor != null) {
      ((Evictor<IN, W>) evictor).evictBefore(elements, elements.size(), w, evictorCtx);
    }
    List<R> values = new ArrayList<>(elements.size());
    for (TimestampedValue<IN> e : elements) {
      values.add((R) e.value());
    }
    task.record().setTimestamp(ts);
    function.process(key, w, values, functionCtx, collector);
    if (evictor != null) {
      ((Evictor<IN, W>) evictor).evictAfter(elements, elements.size(), w, evictorCtx);
      if (elements.size() != before) {
        setWindow(w);
        // Evictors remove elements: delete just those (one entry each), not the whole list.
        listContents.retain(stored, elements);
      }
    }
  }

  // ---- keys, windows, namespaces

  private byte[] windowBytes(W w) {
    return windowSerializer.serialize(name, w);
  }

  private void setWindow(W w) {
    if (currentWindowBytes == null || !w.equals(currentWindow)) {
      currentWindowBytes = windowBytes(w);
    }
    currentWindow = w;
    states.setNamespace(currentWindowBytes);
  }

  /** The bytes of {@code w}, reusing those of the current window. */
  private byte[] bytesOf(W w) {
    return currentWindowBytes != null && w.equals(currentWindow)
        ? currentWindowBytes
        : windowBytes(w);
  }

  /** Stores window records with their timestamps: {@code [timestamp int64][record]}. */
  static <T> Serde<TimestampedValue<T>> timestampedSerde(Serde<T> inner) {
    Serializer<T> s = inner.serializer();
    Deserializer<T> d = inner.deserializer();
    return org.apache.kafka.common.serialization.Serdes.serdeFrom(
        (Serializer<TimestampedValue<T>>)
            (topic, v) -> {
              byte[] b = s.serialize(topic, v.value());
              return ByteBuffer.allocate(8 + b.length).putLong(v.timestamp()).put(b).array();
            },
        (Deserializer<TimestampedValue<T>>)
            (topic, bytes) -> {
              ByteBuffer buf = ByteBuffer.wrap(bytes);
              long ts = buf.getLong();
              byte[] rest = new byte[buf.remaining()];
              buf.get(rest);
              return new TimestampedValue<>(d.deserialize(topic, rest), ts);
            });
  }

  // ---- contexts

  private final class TriggerCtx implements Trigger.OnMergeContext {
    List<byte[]> mergedSources;

    @Override
    public long getCurrentProcessingTime() {
      return task.currentProcessingTime();
    }

    @Override
    public long getCurrentWatermark() {
      return task.currentWatermark();
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
      keyed.registerProcessingTimeTimer(time, currentWindowBytes);
    }

    @Override
    public void registerEventTimeTimer(long time) {
      keyed.registerEventTimeTimer(time, currentWindowBytes);
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
      keyed.deleteProcessingTimeTimer(time, currentWindowBytes);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
      keyed.deleteEventTimeTimer(time, currentWindowBytes);
    }

    @Override
    public <S> ValueState<S> getValueState(ValueStateDescriptor<S> d) {
      return states.namespacedValue("trigger", d);
    }

    @Override
    public <S> ReducingState<S> getReducingState(ReducingStateDescriptor<S> d) {
      return states.namespacedReducing("trigger", d);
    }

    @Override
    public <S> ListState<S> getListState(ListStateDescriptor<S> d) {
      return states.namespacedList("trigger", d);
    }

    @Override
    public void mergePartitionedState(StateDescriptor<?> d) {
      if (mergedSources == null) {
        throw new IllegalStateException("mergePartitionedState outside of onMerge");
      }
      try {
        // Make sure the handle exists (registration is lazy), then merge.
        if (d instanceof ReducingStateDescriptor<?> r) {
          states.namespacedReducing("trigger", r);
        } else if (d instanceof ListStateDescriptor<?> l) {
          states.namespacedList("trigger", l);
        }
        states.mergeNamespaces("trigger", d.name(), mergedSources, currentWindowBytes);
      } catch (Exception e) {
        throw new dev.weir.errors.WeirException("Merging trigger state " + d + " failed", e);
      }
    }
  }

  private final class FunctionContext extends ProcessWindowFunction<R, OUT, K, W>.Context {
    private final ProcessWindowFunction.KeyedStateStore windowState =
        new ProcessWindowFunction.KeyedStateStore() {
          @Override
          public <S> ValueState<S> getState(ValueStateDescriptor<S> d) {
            return states.namespacedValue("window", d);
          }

          @Override
          public <S> ListState<S> getListState(ListStateDescriptor<S> d) {
            return states.namespacedList("window", d);
          }

          @Override
          public <MK, MV> MapState<MK, MV> getMapState(MapStateDescriptor<MK, MV> d) {
            return states.namespacedMap("window", d);
          }

          @Override
          public <S> ReducingState<S> getReducingState(ReducingStateDescriptor<S> d) {
            return states.namespacedReducing("window", d);
          }
        };
    private final ProcessWindowFunction.KeyedStateStore globalState =
        new ProcessWindowFunction.KeyedStateStore() {
          @Override
          public <S> ValueState<S> getState(ValueStateDescriptor<S> d) {
            return states.value(d);
          }

          @Override
          public <S> ListState<S> getListState(ListStateDescriptor<S> d) {
            return states.list(d);
          }

          @Override
          public <MK, MV> MapState<MK, MV> getMapState(MapStateDescriptor<MK, MV> d) {
            return states.map(d);
          }

          @Override
          public <S> ReducingState<S> getReducingState(ReducingStateDescriptor<S> d) {
            return states.reducing(d);
          }
        };

    FunctionContext(ProcessWindowFunction<R, OUT, K, W> f) {
      f.super();
    }

    @Override
    public W window() {
      return currentWindow;
    }

    @Override
    public long currentProcessingTime() {
      return task.currentProcessingTime();
    }

    @Override
    public long currentWatermark() {
      return task.currentWatermark();
    }

    @Override
    public ProcessWindowFunction.KeyedStateStore windowState() {
      return windowState;
    }

    @Override
    public ProcessWindowFunction.KeyedStateStore globalState() {
      return globalState;
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      ProcessOperator.emitSide(sideOutputs, tag, value);
    }
  }
}
