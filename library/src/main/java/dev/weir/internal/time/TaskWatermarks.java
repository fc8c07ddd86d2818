package dev.weir.internal.time;

import dev.weir.eventtime.TimestampAssigner;
import dev.weir.eventtime.WatermarkGenerator;
import dev.weir.eventtime.WatermarkOutput;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.task.FunctionCopier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event-time state of one task: a watermark generator per source partition, a table of the
 * watermarks every upstream task announced per repartition input, and the task's watermark, the
 * minimum over the active inputs, which never goes backwards.
 *
 * <p>A source partition is idle when its strategy has an idleness timeout, it produced nothing for
 * that long, and its consumer is at the end of the partition (so a backlog never makes records
 * late). An upstream task is idle when its last marker said so. Idle inputs do not hold the
 * watermark back; when every input is idle the task is idle and advances to the largest watermark
 * any input reached.
 *
 * <p>Everything here is committed with the consumed offsets (as offset metadata, see {@link
 * MarkerFormat}), so a restarted or moved task resumes with the same watermarks.
 */
public final class TaskWatermarks {
  private final Map<String, SourceInput<?>> sources = new LinkedHashMap<>();
  private final Map<String, UpstreamInput> upstreams = new LinkedHashMap<>();
  private long watermark = Long.MIN_VALUE;
  private boolean idle;
  private boolean announce;

  /** Registers a source topic of the task with its strategy; returns its per-partition state. */
  public <T> SourceInput<T> addSource(String topic, WatermarkStrategy<T> strategy, String name) {
    SourceInput<T> in = new SourceInput<>(strategy, name);
    sources.put(topic, in);
    return in;
  }

  /** Registers a repartition input fed by {@code upstreamTasks} tasks. */
  public void addUpstream(String topic, int upstreamTasks) {
    upstreams.put(topic, new UpstreamInput(upstreamTasks));
  }

  /** Whether any input produces watermarks (a generator, or markers from upstream tasks). */
  public boolean tracksEventTime() {
    if (!upstreams.isEmpty()) {
      return true;
    }
    for (SourceInput<?> in : sources.values()) {
      if (in.generator != null) {
        return true;
      }
    }
    return false;
  }

  public boolean hasEventTimeInputs() {
    return !sources.isEmpty() || !upstreams.isEmpty();
  }

  public long watermark() {
    return watermark;
  }

  public boolean idle() {
    return idle;
  }

  /** A watermark marker from an upstream task arrived on {@code topic}. */
  public void onMarker(String topic, MarkerFormat.Marker m) {
    UpstreamInput in = upstreams.get(topic);
    if (in != null) {
      in.update(m.upstreamPartition(), m.watermark(), m.idle());
    }
  }

  /**
   * Runs the periodic generators and the idleness checks, then recomputes the task watermark.
   *
   * @param now processing time
   * @param caughtUp whether the consumer of a source topic's partition is at its end
   * @return true when the watermark advanced, the task's idleness changed, or the state was just
   *     restored (the caller then fires timers and sends markers)
   */
  public boolean advance(long now, java.util.function.Predicate<String> caughtUp) {
    for (Map.Entry<String, SourceInput<?>> e : sources.entrySet()) {
      e.getValue().periodic(now, caughtUp.test(e.getKey()));
    }
    long min = Long.MAX_VALUE;
    boolean anyActive = false;
    for (SourceInput<?> s : sources.values()) {
      if (!s.idle) {
        anyActive = true;
        min = Math.min(min, s.watermark);
      }
    }
    for (UpstreamInput u : upstreams.values()) {
      for (int i = 0; i < u.watermarks.length; i++) {
        if (!u.idle[i]) {
          anyActive = true;
          min = Math.min(min, u.watermarks[i]);
        }
      }
    }
    boolean wasIdle = idle;
    idle = !anyActive && hasEventTimeInputs();
    long candidate = anyActive ? min : maxOverAllInputs();
    boolean advanced = false;
    if (candidate > watermark) {
      watermark = candidate;
      advanced = true;
    }
    boolean restored = announce;
    announce = false;
    return advanced || wasIdle != idle || restored;
  }

  /**
   * When every input is idle nothing holds event time back any more: the task moves to the largest
   * watermark any input reached (as Flink's watermark valve does), so windows and timers up to it
   * fire instead of waiting for the next record.
   */
  private long maxOverAllInputs() {
    long max = Long.MIN_VALUE;
    for (SourceInput<?> s : sources.values()) {
      max = Math.max(max, s.watermark);
    }
    for (UpstreamInput u : upstreams.values()) {
      for (long w : u.watermarks) {
        max = Math.max(max, w);
      }
    }
    return max;
  }

  /**
   * Names the input holding the task's watermark back (the active input with the lowest watermark),
   * for the stall warning and metrics.
   */
  public String holdingInput(int partition) {
    String holder = "none (all inputs idle)";
    long min = Long.MAX_VALUE;
    for (Map.Entry<String, SourceInput<?>> e : sources.entrySet()) {
      SourceInput<?> s = e.getValue();
      if (!s.idle && s.watermark < min) {
        min = s.watermark;
        holder =
            "source partition "
                + e.getKey()
                + "-"
                + partition
                + (s.generator == null ? " (its strategy generates no watermarks)" : "")
                + " at "
                + s.watermark;
      }
    }
    for (Map.Entry<String, UpstreamInput> e : upstreams.entrySet()) {
      UpstreamInput u = e.getValue();
      for (int i = 0; i < u.watermarks.length; i++) {
        if (!u.idle[i] && u.watermarks[i] < min) {
          min = u.watermarks[i];
          holder =
              "upstream task "
                  + i
                  + " of "
                  + e.getKey()
                  + "-"
                  + partition
                  + " at "
                  + (u.watermarks[i] == Long.MIN_VALUE ? "no watermark yet" : u.watermarks[i]);
        }
      }
    }
    return holder;
  }

  /** Per-input watermarks and idleness, for metrics: input name to {watermark, idle 0/1}. */
  public Map<String, long[]> inputs(int partition) {
    Map<String, long[]> out = new LinkedHashMap<>();
    sources.forEach(
        (t, s) -> out.put(t + "-" + partition, new long[] {s.watermark, s.idle ? 1 : 0}));
    upstreams.forEach(
        (t, u) -> {
          for (int i = 0; i < u.watermarks.length; i++) {
            out.put(
                t + "-" + partition + "/upstream-" + i,
                new long[] {u.watermarks[i], u.idle[i] ? 1 : 0});
          }
        });
    return out;
  }

  /** The offset metadata that records the event-time state of input {@code topic}. */
  public String encode(String topic) {
    SourceInput<?> s = sources.get(topic);
    if (s != null) {
      // Record the watermark of every record consumed up to the committed offset, not the last
      // periodic emission: a restart would otherwise lose the records' effect on event time.
      s.emitNow();
      return MarkerFormat.encodeSourceState(s.watermark, s.idle);
    }
    UpstreamInput u = upstreams.get(topic);
    if (u != null) {
      return MarkerFormat.encodeUpstreamState(u.watermarks, u.idle);
    }
    return "";
  }

  /** Restores what {@link #encode} recorded, from committed offset metadata. */
  public void restore(String topic, String metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return;
    }
    SourceInput<?> s = sources.get(topic);
    if (s != null) {
      long[] state = MarkerFormat.decodeSourceState(metadata);
      if (state != null) {
        s.watermark = Math.max(s.watermark, state[0]);
      }
    }
    UpstreamInput u = upstreams.get(topic);
    if (u != null) {
      MarkerFormat.decodeUpstreamState(metadata, u.watermarks, u.idle);
    }
    // The task watermark is recomputed from the restored inputs; the next advance announces it
    // downstream and fires the timers due, which the previous owner may not have done.
    advance(Long.MIN_VALUE, t -> false);
    announce = true;
  }

  /** One source partition: its generator, timestamp assigner and idleness. */
  public static final class SourceInput<T> implements WatermarkOutput {
    private final WatermarkGenerator<T> generator;
    private final TimestampAssigner<T> assigner;
    private final long idlenessMs;
    private long watermark = Long.MIN_VALUE;
    private boolean idle;
    private boolean markedIdle;
    private long lastRecordMs = Long.MIN_VALUE;
    private boolean recordSinceCheck;

    SourceInput(WatermarkStrategy<T> strategy, String name) {
      this.generator =
          strategy.generatesWatermarks()
              ? FunctionCopier.copy(strategy.generatorSupplier(), name).createWatermarkGenerator()
              : null;
      this.assigner =
          strategy.timestampAssigner() == null
              ? null
              : FunctionCopier.copy(strategy.timestampAssigner(), name);
      this.idlenessMs = strategy.idleness() == null ? -1 : strategy.idleness().toMillis();
    }

    /**
     * Assigns the record's event timestamp and feeds the generator; returns the timestamp. Reads no
     * clock: the idleness check notes the time of the first check after a record.
     */
    public long onRecord(T value, long kafkaTimestamp) {
      long ts =
          assigner == null ? kafkaTimestamp : assigner.extractTimestamp(value, kafkaTimestamp);
      recordSinceCheck = true;
      idle = false;
      markedIdle = false;
      if (generator != null) {
        generator.onEvent(value, ts, this);
      }
      return ts;
    }

    /** Lets the generator emit what the records seen so far allow, outside its period. */
    void emitNow() {
      if (generator != null) {
        generator.onPeriodicEmit(this);
      }
    }

    void periodic(long now, boolean caughtUp) {
      if (generator != null) {
        generator.onPeriodicEmit(this);
      }
      if (recordSinceCheck || lastRecordMs == Long.MIN_VALUE) {
        // The idleness clock restarts at the first check after a record (or the task's start).
        lastRecordMs = now;
        recordSinceCheck = false;
      }
      if (idlenessMs > 0 && caughtUp) {
        if (now - lastRecordMs >= idlenessMs) {
          idle = true;
        }
      }
      if (markedIdle) {
        idle = true;
      }
    }

    @Override
    public void emitWatermark(long wm) {
      if (wm > watermark) {
        watermark = wm;
      }
      markedIdle = false;
    }

    @Override
    public void markIdle() {
      markedIdle = true;
    }
  }

  /** The watermarks announced by each task of an upstream sub-topology, for one input partition. */
  static final class UpstreamInput {
    final long[] watermarks;
    final boolean[] idle;

    UpstreamInput(int tasks) {
      watermarks = new long[tasks];
      idle = new boolean[tasks];
      java.util.Arrays.fill(watermarks, Long.MIN_VALUE);
    }

    void update(int task, long wm, boolean isIdle) {
      if (task < 0 || task >= watermarks.length) {
        return; // from a task count this topology no longer has
      }
      watermarks[task] = Math.max(watermarks[task], wm);
      idle[task] = isIdle;
    }
  }
}
