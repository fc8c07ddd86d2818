package dev.weir.internal.task;

import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interval join (SEMANTICS F1): joins a left record at {@code l} with every right record of the
 * same key at {@code r} where {@code l + lower <= r <= l + upper} (bounds inclusive here; the API
 * turns an exclusive bound into the next inclusive millisecond), calling the {@link
 * ProcessJoinFunction} once per pair with the result timestamp {@code max(l, r)}.
 *
 * <p>State: the buffered records of each side in a {@link SegmentedBuffer} of the operator's store
 * (design record 018), keyed by time segment, key and timestamp. Each arriving record probes the
 * other side's buffer (one range read per segment its range overlaps), then is buffered for as long
 * as a future record of the other side could still match it. A future record has a timestamp above
 * the watermark {@code W} (anything at or below is late), so a left record at {@code l} is useful
 * while {@code W < l + upper} and a right record at {@code r} while {@code W < r - lower}. A record
 * whose time has already passed when it arrives is probed and never buffered; the others stay until
 * the watermark has passed their whole segment, which then goes in one range delete. No timer is
 * kept per record. A record kept beyond its own time can never join again: its partners would be
 * late.
 *
 * <p>A record at or below the watermark is late (SEMANTICS decision 1): it goes to its side's late
 * output when one is set, else it is dropped and counted in {@code late-records-dropped}; it never
 * joins, because its partners may already be gone.
 *
 * <p>State written by Weir before record 018 (map states {@link #LEFT} and {@link #RIGHT} and one
 * cleanup timer per record) is moved into the buffers when the operator opens, in the same
 * transaction as the task's first commit; see {@link #migrate}.
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

  /**
   * Names of the two buffers, and of the map states that held them before record 018; prefixed so
   * that a rich join function's own states cannot collide with them.
   */
  static final String LEFT = "weir.interval-join.left";

  static final String RIGHT = "weir.interval-join.right";

  private static final Logger LOG = LoggerFactory.getLogger(IntervalJoinOperator.class);

  private final ProcessJoinFunction<L, R, O> function;
  private final long lower;
  private final long upper;
  private final Spec<K, L, R, O> spec;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final FunctionOperators.EmittingCollector<O> collector;
  private final PairContext context;
  private KeyedContext<K> keyed;
  private SegmentedBuffer<L> left;
  private SegmentedBuffer<R> right;
  // The record being probed, while its side's buffer is visited.
  private L probingLeft;
  private R probingRight;
  private long probingTs;
  private final SegmentedBuffer.Visitor<R> joinRight = this::joinRight;
  private final SegmentedBuffer.Visitor<L> joinLeft = this::joinLeft;

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

  /**
   * The segment length of the buffers: the bounds' span (at least 1 ms), so that a probe, whose
   * range is that span wide, reads at most two segments, and a record outlives its usefulness by at
   * most one span (design record 018).
   */
  static long segmentMs(long lower, long upper) {
    return Math.max(1, minus(upper, lower));
  }

  @Override
  protected void doOpen() throws Exception {
    keyed = KeyedContext.of(name, storeName, task, spec.keySerde().deserializer());
    OperatorStates states = keyed.states();
    if (states == null) {
      throw new IllegalStateException(
          "Interval join '" + name + "' has no store; it must run on keyed inputs");
    }
    long segmentMs = segmentMs(lower, upper);
    left = states.segmentedBuffer(LEFT, spec.leftSerde(), segmentMs);
    right = states.segmentedBuffer(RIGHT, spec.rightSerde(), segmentMs);
    int moved = migrate(states.store(), segmentMs);
    if (moved > 0) {
      LOG.info(
          "Interval join '{}': moved {} buffered entries of the layout before design record 018"
              + " into its segmented buffers, and dropped their cleanup timers",
          name,
          moved);
    }
    int rekeyed = left.open() + right.open();
    int batched = left.movedToBatches() + right.movedToBatches();
    if (batched > 0) {
      LOG.info(
          "Interval join '{}': moved {} buffered entries of the layout before design record 024"
              + " to keys whose changelog records are batches per segment and commit",
          name,
          batched);
    }
    if (rekeyed > 0) {
      LOG.info(
          "Interval join '{}': its bounds changed, so its buffers' segments are now {} ms long;"
              + " re-keyed {} buffered entries",
          name,
          segmentMs,
          rekeyed);
    }
    function.setRuntimeContext(task.runtimeContext(name, storeName));
    function.open();
  }

  /**
   * Moves the buffers of the layout before design record 018 into the segmented ones: each map
   * entry {@code ['k'][name][keyLength][key][timestamp int64 BE]} goes, value unchanged, to its
   * place in the buffer of the same name; then the event-time timers go, which were all cleanup
   * timers (a join function cannot register timers). The writes are ordinary pending writes, so
   * they commit with the task's first transaction, or, after a crash, are made again.
   *
   * @return the entries moved
   */
  static int migrate(KeyValueStore store, long segmentMs) {
    int moved = 0;
    for (String side : List.of(LEFT, RIGHT)) {
      byte[] old = StateFormat.statePrefix(StateFormat.SCOPE_KEYED, side);
      byte[] buffer = StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED_BATCHED, side);
      List<KeyValueEntry> entries = new ArrayList<>();
      try (KeyValueIterator it = store.prefixScan(old)) {
        it.forEachRemaining(entries::add);
      }
      for (KeyValueEntry e : entries) {
        ByteBuffer k = ByteBuffer.wrap(e.key(), old.length, e.key().length - old.length);
        byte[] key = new byte[k.getInt()];
        k.get(key);
        long time = k.getLong();
        byte[] p = StateFormat.segmentKeyPrefix(buffer, Math.floorDiv(time, segmentMs), key);
        store.put(StateFormat.timedKey(p, time), e.value());
        store.delete(e.key());
        moved++;
      }
    }
    byte[] timers = TimerStore.prefix(TimerStore.EVENT);
    store.deleteRange(timers, StateHandle.prefixEnd(timers));
    return moved;
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
      probingLeft = value;
      probingTs = ts;
      right.forEachBetween(plus(ts, lower), plus(ts, upper), joinRight);
      if (!keyed.isPast(plus(ts, upper))) {
        left.add(ts, value);
      } // else no future right record can match it
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    } finally {
      probingLeft = null;
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
      probingRight = value;
      probingTs = ts;
      // ts - upper <= lt <= ts - lower, saturated; joinLeft checks the exact condition.
      left.forEachBetween(minus(ts, upper), minus(ts, lower), joinLeft);
      if (!keyed.isPast(minus(ts, lower))) {
        right.add(ts, value);
      }
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    } finally {
      probingRight = null;
      task.record().setTimestamp(ts);
    }
  }

  @Override
  Emitter<L> firstInput() {
    return this::process1;
  }

  @Override
  Emitter<R> secondInput() {
    return this::process2;
  }

  private void joinRight(long rt, List<R> records) throws Exception {
    long lt = probingTs;
    for (R r : records) {
      emit(probingLeft, r, lt, rt);
    }
  }

  private void joinLeft(long lt, List<L> records) throws Exception {
    long rt = probingTs;
    if (rt >= plus(lt, lower) && rt <= plus(lt, upper)) {
      for (L l : records) {
        emit(l, probingRight, lt, rt);
      }
    }
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

  /**
   * Drops the segments whose records can no longer join: left records at or below {@code W - upper}
   * and right records at or below {@code W + lower}, where a limit below the long range drops
   * nothing.
   */
  @Override
  public void onWatermark(long watermark) throws Exception {
    if (!(upper > 0 && watermark < Long.MIN_VALUE + upper)) {
      left.dropThrough(minus(watermark, upper));
    }
    if (!(lower < 0 && watermark < Long.MIN_VALUE - lower)) {
      right.dropThrough(plus(watermark, lower));
    }
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
