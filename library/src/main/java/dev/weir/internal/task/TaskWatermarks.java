package dev.weir.internal.task;

import dev.weir.eventtime.TimestampAssigner;
import dev.weir.eventtime.WatermarkGenerator;
import dev.weir.eventtime.WatermarkOutput;
import dev.weir.eventtime.WatermarkStrategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event-time state of one task. The task's inputs are numbered (input 0, 1, ...: the inputs of
 * its operators, so that a two-input operator's inputs are inputs 0 and 1); each input is fed by
 * channels: a watermark generator per source partition, and per repartition partition a table of
 * the watermarks every upstream task announced. An input's watermark is the minimum over its active
 * channels; the task's watermark, which every operator of the task sees, is the minimum over its
 * active inputs (SEMANTICS C4, F6). Neither ever goes backwards.
 *
 * <p>A source partition is idle when its strategy has an idleness timeout, it produced nothing for
 * that long, and its consumer is at the end of the partition (so a backlog never makes records
 * late). An upstream task is idle when its last marker said so. An input is idle when all its
 * channels are. Idle channels and inputs do not hold a watermark back; when all of them are idle,
 * the watermark advances to the largest one reached (as Flink's watermark valve does), and the task
 * is idle when every input is.
 *
 * <p>Everything here is committed with the consumed offsets (as offset metadata, see {@link
 * MarkerFormat}), so a restarted or moved task resumes with the same watermarks. When an input's or
 * the task's watermark is above what its channels alone give (a channel that was idle became active
 * again behind it), the metadata also carries those watermarks, so they never go back.
 *
 * <p>Seam for broadcast inputs: channels are registered per topic, because a task reads its own
 * partition of every topic. An input that reads every partition of a topic will register one
 * channel per partition and count for event time like any other input.
 */
public final class TaskWatermarks {
  private final Map<String, SourceInput<?>> sources = new LinkedHashMap<>();
  private final Map<String, UpstreamInput> upstreams = new LinkedHashMap<>();
  private final List<Input> inputs = new ArrayList<>();
  private SourceInput<?>[] sourceArray = new SourceInput<?>[0];
  private long watermark = Long.MIN_VALUE;
  private boolean idle;
  private boolean announce;

  /**
   * A generator advanced its watermark in {@code onEvent}: the task applies it after the record.
   */
  private boolean punctuated;

  /**
   * Registers a source topic of input 0 with its strategy; returns its per-partition state.
   *
   * @see #addSource(int, String, WatermarkStrategy, String)
   */
  public <T> SourceInput<T> addSource(String topic, WatermarkStrategy<T> strategy, String name) {
    return addSource(0, topic, strategy, name);
  }

  /**
   * Registers a source topic feeding input {@code input} with its strategy; registering a topic
   * again replaces it.
   *
   * @param input the input index, 0 or more
   * @param topic the topic (the task reads its own partition of it)
   * @param strategy the source's watermark strategy
   * @param name the source's name, for errors of copied functions
   * @return the partition's event-time state, which assigns record timestamps
   */
  public <T> SourceInput<T> addSource(
      int input, String topic, WatermarkStrategy<T> strategy, String name) {
    forget(topic);
    SourceInput<T> in = new SourceInput<>(this, topic, strategy, name);
    sources.put(topic, in);
    input(input).sources.add(in);
    sourceArray = sources.values().toArray(new SourceInput<?>[0]);
    return in;
  }

  /** Registers a repartition topic of input 0 fed by {@code upstreamTasks} tasks. */
  public void addUpstream(String topic, int upstreamTasks) {
    addUpstream(0, topic, upstreamTasks);
  }

  /**
   * Registers a topic feeding input {@code input} whose event time comes from the markers of {@code
   * upstreamTasks} upstream tasks; registering a topic again replaces it.
   */
  public void addUpstream(int input, String topic, int upstreamTasks) {
    forget(topic);
    UpstreamInput in = new UpstreamInput(upstreamTasks);
    upstreams.put(topic, in);
    input(input).upstreams.add(in);
  }

  private Input input(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("Input index " + index + " is negative");
    }
    while (inputs.size() <= index) {
      inputs.add(new Input());
    }
    return inputs.get(index);
  }

  private void forget(String topic) {
    SourceInput<?> s = sources.remove(topic);
    UpstreamInput u = upstreams.remove(topic);
    for (Input in : inputs) {
      in.sources.remove(s);
      in.upstreams.remove(u);
    }
    sourceArray = sources.values().toArray(new SourceInput<?>[0]);
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

  /**
   * Whether event time has shown itself: an input from a source whose strategy generates
   * watermarks, or a marker from an upstream task. A task fed only by upstream tasks that never
   * sent one (their sources generate no watermarks: a processing-time pipeline with a {@code
   * keyBy}) has no event time that could stall.
   */
  public boolean expectsEventTime() {
    for (SourceInput<?> in : sources.values()) {
      if (in.generator != null) {
        return true;
      }
    }
    for (UpstreamInput u : upstreams.values()) {
      if (u.heard) {
        return true;
      }
    }
    return false;
  }

  public boolean hasEventTimeInputs() {
    return !sources.isEmpty() || !upstreams.isEmpty();
  }

  /** The task's watermark: the minimum over its active inputs; never goes backwards. */
  public long watermark() {
    return watermark;
  }

  /** Whether every input of the task is idle. */
  public boolean idle() {
    return idle;
  }

  /** The number of inputs (the highest registered input index + 1). */
  public int inputCount() {
    return inputs.size();
  }

  /**
   * The watermark of input {@code input}: the minimum over its active channels, never going back.
   */
  public long inputWatermark(int input) {
    return inputs.get(input).watermark;
  }

  /** Whether every channel of input {@code input} is idle. */
  public boolean inputIdle(int input) {
    return inputs.get(input).idle;
  }

  /** A watermark marker from an upstream task arrived on {@code topic}. */
  public void onMarker(String topic, MarkerFormat.Marker m) {
    UpstreamInput in = upstreams.get(topic);
    if (in != null) {
      in.update(m.upstreamPartition(), m.watermark(), m.idle());
    }
  }

  /**
   * Runs the periodic generators and the idleness checks, then recomputes the inputs' and the
   * task's watermarks.
   *
   * @param now processing time
   * @param caughtUp whether the consumer of a source topic's partition is at its end
   * @return true when the watermark advanced, the task's idleness changed, or the state was just
   *     restored (the caller then fires timers and sends markers)
   */
  public boolean advance(long now, java.util.function.Predicate<String> caughtUp) {
    for (SourceInput<?> s : sourceArray) {
      s.periodic(now, caughtUp.test(s.topic));
    }
    punctuated = false;
    return recompute();
  }

  /**
   * Whether a watermark generator advanced its watermark while it saw a record ({@code onEvent}, a
   * punctuated watermark) since the last call; clears the flag. Periodic emissions do not count.
   */
  public boolean takePunctuated() {
    boolean p = punctuated;
    punctuated = false;
    return p;
  }

  /**
   * After a punctuated watermark: recomputes the inputs' and the task's watermarks from the
   * channels as they are, without running the periodic generators or the idleness checks (those
   * stay on the {@code watermark.interval.ms} tick).
   *
   * @return true when the task's watermark advanced (or its idleness changed)
   */
  public boolean advancePunctuated() {
    punctuated = false;
    return recompute();
  }

  private boolean recompute() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean anyActive = false;
    for (int i = 0; i < inputs.size(); i++) {
      Input in = inputs.get(i);
      if (!in.hasChannels()) {
        continue;
      }
      in.recompute();
      if (!in.idle) {
        anyActive = true;
        min = Math.min(min, in.watermark);
      }
      max = Math.max(max, in.watermark);
    }
    boolean wasIdle = idle;
    idle = !anyActive && hasEventTimeInputs();
    long candidate = anyActive ? min : max;
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
   * Names the input holding the task's watermark back (the active channel with the lowest
   * watermark), for the stall warning and metrics.
   */
  public String holdingInput(int partition) {
    String holder = "none (all inputs idle)";
    long min = Long.MAX_VALUE;
    for (Map.Entry<String, SourceInput<?>> e : sources.entrySet()) {
      SourceInput<?> s = e.getValue();
      if (!s.idle && s.watermark < min) {
        min = s.watermark;
        holder =
            inputPrefix(e.getKey())
                + "source partition "
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
              inputPrefix(e.getKey())
                  + "upstream task "
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

  /**
   * "input N of M: " (counted from 1, as process1 / process2 are) when the task has several inputs,
   * so the warning says which one lags.
   */
  private String inputPrefix(String topic) {
    return inputs.size() > 1 ? "input " + (inputOf(topic) + 1) + " of " + inputs.size() + ": " : "";
  }

  private int inputOf(String topic) {
    SourceInput<?> s = sources.get(topic);
    UpstreamInput u = upstreams.get(topic);
    for (int i = 0; i < inputs.size(); i++) {
      Input in = inputs.get(i);
      if ((s != null && in.sources.contains(s)) || (u != null && in.upstreams.contains(u))) {
        return i;
      }
    }
    return -1;
  }

  /** Receives the event-time progress of one source partition; see {@link #sourceProgress}. */
  @FunctionalInterface
  public interface SourceProgress {
    /**
     * One source partition of the task.
     *
     * @param topic the source topic (the partition is the task's)
     * @param eventTime the largest event timestamp read from it since the task started, or {@link
     *     Long#MIN_VALUE} before its first record
     * @param idle whether its idleness timeout marked it idle
     */
    void accept(String topic, long eventTime, boolean idle);
  }

  /**
   * Reports every source partition whose strategy generates watermarks, for fetch alignment: how
   * far it has read in event time and whether it is idle. Sources without watermarks are left out:
   * their event time holds nothing back. On the task's thread; allocates nothing per source.
   *
   * @param out receives each source partition; not null
   */
  public void sourceProgress(SourceProgress out) {
    for (SourceInput<?> s : sourceArray) {
      if (s.generator != null) {
        out.accept(s.topic, s.maxTimestamp, s.idle);
      }
    }
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
    String state;
    SourceInput<?> s = sources.get(topic);
    UpstreamInput u = upstreams.get(topic);
    if (s != null) {
      // Record the watermark of every record consumed up to the committed offset, not the last
      // periodic emission: a restart would otherwise lose the records' effect on event time. All
      // sources, so that every partition of one commit agrees on whether a floor is needed.
      for (SourceInput<?> each : sourceArray) {
        each.emitNow();
      }
      state = MarkerFormat.encodeSourceState(s.watermark, s.idle);
    } else if (u != null) {
      state = MarkerFormat.encodeUpstreamState(u.watermarks, u.idle);
    } else {
      return "";
    }
    if (!needsFloor()) {
      return state; // the channels alone restore the same watermarks: the original format
    }
    return MarkerFormat.withFloor(state, watermark, inputs.get(inputOf(topic)).watermark);
  }

  /**
   * Whether restoring only the channels would give a lower input or task watermark than now: the
   * restore treats source partitions as active (idleness is re-established after a restart, so a
   * backlog is never skipped), and computes without the history that keeps watermarks monotonic.
   */
  private boolean needsFloor() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean anyActive = false;
    for (Input in : inputs) {
      if (!in.hasChannels()) {
        continue;
      }
      long restored = in.restoredWatermark();
      if (in.watermark > restored) {
        return true;
      }
      if (!in.restoredIdle()) {
        anyActive = true;
        min = Math.min(min, restored);
      }
      max = Math.max(max, restored);
    }
    return watermark > (anyActive ? min : max);
  }

  /** Restores what {@link #encode} recorded, from committed offset metadata. */
  public void restore(String topic, String metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return;
    }
    long[] floor = MarkerFormat.decodeFloor(metadata);
    String state = MarkerFormat.withoutFloor(metadata);
    SourceInput<?> s = sources.get(topic);
    if (s != null) {
      long[] st = MarkerFormat.decodeSourceState(state);
      if (st != null) {
        s.watermark = Math.max(s.watermark, st[0]);
      }
    }
    UpstreamInput u = upstreams.get(topic);
    if (u != null) {
      MarkerFormat.decodeUpstreamState(state, u.watermarks, u.idle);
      for (int i = 0; i < u.watermarks.length; i++) {
        u.heard |= u.watermarks[i] != Long.MIN_VALUE || u.idle[i];
      }
    }
    if (floor != null && (s != null || u != null)) {
      watermark = Math.max(watermark, floor[0]);
      Input in = inputs.get(inputOf(topic));
      in.watermark = Math.max(in.watermark, floor[1]);
    }
    // The task watermark is recomputed from the restored inputs; the next advance announces it
    // downstream and fires the timers due, which the previous owner may not have done.
    advance(Long.MIN_VALUE, t -> false);
    announce = true;
  }

  /** One input of the task: the channels that feed it and its own watermark. */
  private static final class Input {
    final List<SourceInput<?>> sources = new ArrayList<>();
    final List<UpstreamInput> upstreams = new ArrayList<>();
    long watermark = Long.MIN_VALUE;
    boolean idle;

    boolean hasChannels() {
      return !sources.isEmpty() || !upstreams.isEmpty();
    }

    void recompute() {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      boolean active = false;
      for (int i = 0; i < sources.size(); i++) {
        SourceInput<?> s = sources.get(i);
        if (!s.idle) {
          active = true;
          min = Math.min(min, s.watermark);
        }
        max = Math.max(max, s.watermark);
      }
      for (int j = 0; j < upstreams.size(); j++) {
        UpstreamInput u = upstreams.get(j);
        for (int i = 0; i < u.watermarks.length; i++) {
          if (!u.idle[i]) {
            active = true;
            min = Math.min(min, u.watermarks[i]);
          }
          max = Math.max(max, u.watermarks[i]);
        }
      }
      idle = !active;
      long candidate = active ? min : max;
      if (candidate > watermark) {
        watermark = candidate;
      }
    }

    /** The watermark {@link #recompute} gives after a restore of the committed channels alone. */
    long restoredWatermark() {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      boolean active = !sources.isEmpty();
      for (SourceInput<?> s : sources) {
        min = Math.min(min, s.watermark);
        max = Math.max(max, s.watermark);
      }
      for (UpstreamInput u : upstreams) {
        for (int i = 0; i < u.watermarks.length; i++) {
          if (!u.idle[i]) {
            active = true;
            min = Math.min(min, u.watermarks[i]);
          }
          max = Math.max(max, u.watermarks[i]);
        }
      }
      return active ? min : max;
    }

    boolean restoredIdle() {
      if (!sources.isEmpty()) {
        return false;
      }
      for (UpstreamInput u : upstreams) {
        for (boolean i : u.idle) {
          if (!i) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** One source partition: its generator, timestamp assigner and idleness. */
  public static final class SourceInput<T> implements WatermarkOutput {
    private final String topic;
    private final WatermarkGenerator<T> generator;
    private final TimestampAssigner<T> assigner;
    private final long idlenessMs;
    private long watermark = Long.MIN_VALUE;
    private boolean idle;
    private boolean markedIdle;
    private long lastRecordMs = Long.MIN_VALUE;
    private boolean recordSinceCheck;

    /**
     * The largest event timestamp read since the task started: how far this partition has read in
     * event time, known at once (its watermark waits for the generator's next periodic emission).
     */
    private long maxTimestamp = Long.MIN_VALUE;

    private final TaskWatermarks owner;

    /** True while the generator's {@code onEvent} runs: an emission then is punctuated. */
    private boolean inEvent;

    SourceInput(TaskWatermarks owner, String topic, WatermarkStrategy<T> strategy, String name) {
      this.owner = owner;
      this.topic = topic;
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
      if (ts > maxTimestamp) {
        maxTimestamp = ts;
      }
      idle = false;
      markedIdle = false;
      if (generator != null) {
        inEvent = true;
        try {
          generator.onEvent(value, ts, this);
        } finally {
          inEvent = false;
        }
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
        if (inEvent) {
          // Flink applies a punctuated watermark before the next record; so does the task.
          owner.punctuated = true;
        }
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

    /** Whether any upstream task sent a marker. */
    boolean heard;

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
      heard = true;
    }
  }
}
