package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The interval join (SEMANTICS F1): joins a left record at {@code l} with every right record of the
 * same key at {@code r} where {@code l + lower <= r <= l + upper} (bounds inclusive here; the API
 * turns an exclusive bound into the next inclusive millisecond), calling the {@link
 * ProcessJoinFunction} once per pair with the result timestamp {@code max(l, r)}.
 *
 * <p>State: per key, the buffered records of each side in a {@link MapState} from timestamp to the
 * records of that timestamp, in the operator's store (RocksDB with a changelog). Each arriving
 * record probes the other side's buffer, then is buffered for as long as a future record of the
 * other side could still match it. A future record has a timestamp above the watermark {@code W}
 * (anything at or below is late), so a left record at {@code l} is useful until {@code W >= l +
 * upper} and a right record at {@code r} until {@code W >= r - lower}; an event-time timer of the
 * key at that time removes it. A timer at {@code t} removes left records at {@code t - upper} and
 * right records at {@code t + lower}, whichever side registered it: both are exactly the records
 * whose time has come, so the timers need no namespace. A record whose cleanup time has already
 * passed when it arrives is probed and never buffered.
 *
 * <p>A record at or below the watermark is late (SEMANTICS decision 1): it goes to its side's late
 * output when one is set, else it is dropped and counted in {@code late-records-dropped}; it never
 * joins, because its partners may already be gone.
 *
 * @param <K> key type
 * @param <L> left record type
 * @param <R> right record type
 * @param <O> output type
 */
final class IntervalJoinOperator<K, L, R, O> extends TwoInputOperator<L, R> {
  /** What the operator is built from; the function is copied per task. */
  record Spec<K, L, R, O>(
      ProcessJoinFunction<L, R, O> function,
      long lower,
      long upper,
      Serde<K> keySerde,
      Serde<L> leftSerde,
      Serde<R> rightSerde,
      OutputTag<L> leftLateTag,
      OutputTag<R> rightLateTag) {}

  /** State names; prefixed so that a rich join function's own states cannot collide with them. */
  static final String LEFT = "weir.interval-join.left";

  static final String RIGHT = "weir.interval-join.right";

  private final ProcessJoinFunction<L, R, O> function;
  private final long lower;
  private final long upper;
  private final Spec<K, L, R, O> spec;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final FunctionOperators.EmittingCollector<O> collector;
  private final PairContext context;
  private final KeyedContext.TimerHandler onTimer = this::onTimer;
  private KeyedContext<K> keyed;
  private MapState<Long, List<L>> left;
  private MapState<Long, List<R>> right;

  private IntervalJoinOperator(
      String name,
      Spec<K, L, R, O> spec,
      Emitter<O> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name);
    if (spec.lower() > spec.upper()) {
      throw new IllegalArgumentException(
          "Interval join '"
              + name
              + "': lower bound "
              + spec.lower()
              + " ms is above upper bound "
              + spec.upper()
              + " ms (after making exclusive bounds inclusive), so no pair could ever join");
    }
    this.function = FunctionCopier.copy(spec.function(), name);
    this.lower = spec.lower();
    this.upper = spec.upper();
    this.spec = spec;
    this.sideOutputs = sideOutputs;
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.context = new PairContext();
  }

  static <K, L, R, O> TwoInputOperatorFactory<L, R, O> factory(Spec<K, L, R, O> spec) {
    return (name, out, sides) -> new IntervalJoinOperator<>(name, spec, out, sides);
  }

  @Override
  protected void doOpen() throws Exception {
    keyed = KeyedContext.of(name, storeName, task, spec.keySerde().deserializer());
    OperatorStates states = keyed.states();
    if (states == null) {
      throw new IllegalStateException(
          "Interval join '" + name + "' has no store; it must run on keyed inputs");
    }
    left =
        states.map(
            new MapStateDescriptor<>(LEFT, Serdes.Long(), new RecordListSerde<>(spec.leftSerde())));
    right =
        states.map(
            new MapStateDescriptor<>(
                RIGHT, Serdes.Long(), new RecordListSerde<>(spec.rightSerde())));
    function.setRuntimeContext(task.runtimeContext(name, storeName));
    function.open();
  }

  @Override
  public void close() throws Exception {
    function.close();
  }

  @Override
  public void process1(L value) throws Exception {
    long ts = task.record().timestamp();
    if (keyed.isPast(ts)) {
      late(spec.leftLateTag(), value);
      return;
    }
    try {
      long from = plus(ts, lower);
      long to = plus(ts, upper);
      for (Map.Entry<Long, List<R>> e : between(right, from, to).entrySet()) {
        long rt = e.getKey();
        if (rt >= from && rt <= to) {
          for (R r : e.getValue()) {
            emit(value, r, ts, rt);
          }
        }
      }
      buffer(left, value, ts, plus(ts, upper));
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    } finally {
      task.record().setTimestamp(ts);
    }
  }

  @Override
  public void process2(R value) throws Exception {
    long ts = task.record().timestamp();
    if (keyed.isPast(ts)) {
      late(spec.rightLateTag(), value);
      return;
    }
    try {
      // ts - upper <= lt <= ts - lower; the bounds are only a read range, the check below decides.
      for (Map.Entry<Long, List<L>> e :
          between(left, minus(ts, upper), minus(ts, lower)).entrySet()) {
        long lt = e.getKey();
        if (ts >= plus(lt, lower) && ts <= plus(lt, upper)) {
          for (L l : e.getValue()) {
            emit(l, value, lt, ts);
          }
        }
      }
      buffer(right, value, ts, plus(ts, -lower));
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    } finally {
      task.record().setTimestamp(ts);
    }
  }

  /**
   * The buffered timestamps of one side that may lie in {@code [from, to]}: one range read where
   * the long serde's byte order is numeric order (both ends non-negative), else every entry. The
   * caller still checks each timestamp.
   */
  private static <T> Map<Long, List<T>> between(MapState<Long, List<T>> side, long from, long to) {
    if (from > to) {
      return Map.of();
    }
    if (from >= 0 && side instanceof MapStateImpl<Long, List<T>> impl) {
      return impl.entriesBetween(from, to);
    }
    return side.entries();
  }

  /** Keeps {@code value} until the watermark reaches {@code cleanup}, unless it already has. */
  private <T> void buffer(MapState<Long, List<T>> side, T value, long ts, long cleanup)
      throws Exception {
    if (keyed.isPast(cleanup)) {
      return; // no future record of the other side can match it
    }
    List<T> at = side.get(ts);
    if (at == null) {
      at = new ArrayList<>(1);
    }
    at.add(value);
    side.put(ts, at);
    keyed.registerEventTimeTimer(cleanup, null);
  }

  private void emit(L l, R r, long lt, long rt) throws Exception {
    context.leftTs = lt;
    context.rightTs = rt;
    long out = Math.max(lt, rt);
    task.record().setTimestamp(out);
    function.processElement(l, r, context, collector);
  }

  private <T> void late(OutputTag<T> tag, T value) {
    if (tag != null) {
      ProcessOperator.emitSide(sideOutputs, tag, value);
    } else {
      task.metrics().lateRecordsDropped.increment();
    }
  }

  @Override
  public void onWatermark(long watermark) throws Exception {
    keyed.fireEventTimers(watermark, onTimer);
  }

  private void onTimer(long time, byte[] namespace, TimeDomain domain) throws Exception {
    // Saturating: a bound near Long.MAX_VALUE must not wrap a cleanup time around.
    left.remove(plus(time, -upper));
    right.remove(plus(time, lower));
  }

  /** {@code a - b}, saturating at the ends of the long range. */
  static long minus(long a, long b) {
    if (b == Long.MIN_VALUE) {
      return a >= 0 ? Long.MAX_VALUE : a - b; // a - MIN overflows only when a >= 0
    }
    return plus(a, -b);
  }

  /** {@code a + b}, saturating at the ends of the long range. */
  static long plus(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  private final class PairContext implements ProcessJoinFunction.Context {
    long leftTs;
    long rightTs;

    @Override
    public long getLeftTimestamp() {
      return leftTs;
    }

    @Override
    public long getRightTimestamp() {
      return rightTs;
    }

    @Override
    public long getTimestamp() {
      return Math.max(leftTs, rightTs);
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
