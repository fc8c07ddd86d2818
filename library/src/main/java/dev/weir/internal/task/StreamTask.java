package dev.weir.internal.task;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task: partition {@code p} of one sub-topology. Runs the chained operators for records of its
 * input partitions and tracks the offsets to commit. Used only from its stream thread (or the test
 * driver's thread).
 *
 * <p>Routing: each input topic has an {@link InputHandler} that decodes its records and pushes them
 * into the operator input it feeds ({@link StreamOperator#input(int)}, possibly through chained
 * one-input operators); the handler also registered the topic's event-time channel with the task's
 * input index (see {@link InputHandlers}). So records of a two-input operator's inputs reach its
 * two entry points with no per-record lookup beyond the partition's {@link Input}, and the task's
 * watermark is the minimum over its inputs.
 *
 * <p>Offsets: {@link #offsetsToCommit()} returns, per input partition, the offset after the last
 * record fully processed (including records skipped or dead-lettered by a handler). A record whose
 * processing threw is not counted, so it is re-read after the rollback.
 */
public final class StreamTask {
  private static final Logger LOG = LoggerFactory.getLogger(StreamTask.class);

  /** Feeds one input topic's records into the operator input it belongs to. */
  interface InputHandler {
    void handle(ConsumerRecord<byte[], byte[]> record) throws Exception;

    /**
     * Whether the task reads every partition of the topic rather than its own partition only. A
     * broadcast input will (issue #15): its records do not count toward keyed routing, and its
     * committed position is the task's own; every input today reads the task's partition.
     */
    default boolean readsAllPartitions() {
      return false;
    }
  }

  /** A failure to turn a record into an element, tagged with the source that failed. */
  static final class DeserializationFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final String source;

    DeserializationFailure(String source, Throwable cause) {
      super(cause);
      this.source = source;
    }
  }

  private final TaskId id;
  private final TaskContext context;
  private final Map<String, InputHandler> inputs;
  private final List<? extends StreamOperator> operators;
  private final ErrorHandling errors;
  private final Map<TopicPartition, Input> consumed = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Map<TopicPartition, String> lastMetadata = new HashMap<>();
  private final Map<TopicPartition, String> pendingMetadata = new HashMap<>();

  /** The group's committed offsets of the inputs when the task was created. */
  private final Map<TopicPartition, Long> initialOffsets = new HashMap<>();

  private boolean closed;
  // Written by the task's thread per record; other threads read the copy TaskGauges publishes.
  private long recordsRead;
  private TaskGauges gauges;
  private int ttlCleanupBatch = 1000;

  /** The async operators of the task (design record 010); empty for almost every task. */
  private final List<AsyncWaitOperator<?, ?>> asyncOps = new java.util.ArrayList<>();

  /** Records polled while the task could take no more input (an async operator was full). */
  private final java.util.ArrayDeque<Buffered> buffered = new java.util.ArrayDeque<>();

  /** The event time last passed to the operators and downstream tasks. */
  private long lastEventTime = Long.MIN_VALUE;

  private record Buffered(Input input, ConsumerRecord<byte[], byte[]> record) {}

  StreamTask(
      TaskId id,
      TaskContext context,
      Map<String, InputHandler> inputs,
      List<? extends StreamOperator> operators,
      ErrorHandling errors) {
    this.id = id;
    this.context = context;
    this.inputs = inputs;
    this.operators = operators;
    this.errors = errors;
    for (StreamOperator op : operators) {
      if (op instanceof AsyncWaitOperator<?, ?> a) {
        asyncOps.add(a);
      }
    }
  }

  public TaskId id() {
    return id;
  }

  public TaskContext context() {
    return context;
  }

  /** Opens every operator, downstream first so a function never emits into an unopened one. */
  public void open() throws Exception {
    gauges = new TaskGauges(this, context.metricScope());
    for (int i = operators.size() - 1; i >= 0; i--) {
      operators.get(i).open(context);
    }
  }

  /** Records read by this task (source and repartition topics); the task's thread only. */
  long recordsRead() {
    return recordsRead;
  }

  /**
   * Publishes the task's metric values (records read, watermarks, store sizes) for reporters; on
   * the task's thread, every {@code watermark.interval.ms}.
   *
   * @param now wall-clock (in the test driver, processing) time in ms
   */
  public void publishMetrics(long now) {
    if (gauges != null && !closed) {
      gauges.publish(now);
    }
  }

  /**
   * One input partition of the task: its handler and the next offset to commit, looked up once per
   * polled batch so that processing a record allocates and boxes nothing for offset tracking.
   */
  public static final class Input {
    final TopicPartition partition;
    final InputHandler handler;
    long next = -1;

    Input(TopicPartition partition, InputHandler handler) {
      this.partition = partition;
      this.handler = handler;
    }
  }

  /** The topics of the task's broadcast inputs, which it reads in full (design record 009). */
  public List<String> broadcastTopics() {
    List<String> out = new java.util.ArrayList<>();
    inputs.forEach(
        (topic, h) -> {
          if (h.readsAllPartitions()) {
            out.add(topic);
          }
        });
    return out;
  }

  /**
   * Where the task resumes reading a broadcast partition: the next offset kept in its state, or -1
   * when its state has none (the source's start position applies).
   */
  public long broadcastPosition(TopicPartition tp) {
    InputHandler h = inputs.get(tp.topic());
    if (!(h instanceof BroadcastInput<?> b)) {
      throw new IllegalArgumentException("Task " + id + " has no broadcast input " + tp.topic());
    }
    return b.position(tp.partition());
  }

  /** The input of {@code partition}, to pass to {@link #process(Input, ConsumerRecord)}. */
  public Input input(TopicPartition partition) {
    Input in = consumed.get(partition);
    if (in == null) {
      InputHandler handler = inputs.get(partition.topic());
      if (handler == null) {
        throw new IllegalStateException("Task " + id + " has no input topic " + partition.topic());
      }
      in = new Input(partition, handler);
      consumed.put(partition, in);
    }
    return in;
  }

  /** Processes one record of {@code partition} (a convenience for the test driver). */
  public void process(TopicPartition partition, ConsumerRecord<byte[], byte[]> record)
      throws Exception {
    process(input(partition), record);
  }

  /**
   * Processes one record of an input partition.
   *
   * @throws dev.weir.errors.RecordProcessingException when a handler says fail
   * @throws Exception for failures that are not the record's fault (the thread rolls back)
   */
  public void process(Input input, ConsumerRecord<byte[], byte[]> record) throws Exception {
    InputHandler handler = input.handler;
    context
        .record()
        .set(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.headers(),
            record.key(),
            record.value());
    context.metrics().recordsIn.increment();
    recordsRead++;
    try {
      handler.handle(record);
    } catch (DeserializationFailure e) {
      errors.handle(ErrorHandling.Stage.DESERIALIZATION, e.source, e.getCause(), context);
    } catch (OperatorException e) {
      errors.handle(ErrorHandling.Stage.PROCESSING, e.operator(), e.getCause(), context);
    }
    input.next = record.offset() + 1;
    boolean timersDue = context.takeTimersDue();
    if (context.watermarks().takePunctuated() && applyPunctuatedWatermark()) {
      return; // fired the due timers and told downstream tasks
    }
    if (timersDue) {
      fireEventTimers();
    }
  }

  /**
   * A generator emitted a watermark from {@code onEvent} while this record was read: as in Flink,
   * it takes effect before the next record (timers fire, markers go downstream) instead of at the
   * next {@code watermark.interval.ms} tick. Only when the task's event time moved.
   *
   * @return whether event time was passed on
   */
  private boolean applyPunctuatedWatermark() {
    if (!context.watermarks().advancePunctuated()) {
      return false; // held back by another input
    }
    // As the tick does when the watermark changed: a marker even if an async request holds event
    // time (it then repeats the held value), so that a change of idleness is not lost.
    passEventTimeOn(context.currentProcessingTime());
    return true;
  }

  /**
   * Runs the watermark generators and idleness checks; when the task's watermark advanced (or its
   * idleness changed) fires due event-time timers, then tells every downstream task, in this order
   * so that records emitted by timers precede the marker that could make them late.
   *
   * @param now processing time
   * @param caughtUp whether the consumer is at the end of an input topic's partition
   */
  public void advanceEventTime(long now, java.util.function.Predicate<String> caughtUp) {
    TaskWatermarks w = context.watermarks();
    if (!w.tracksEventTime()) {
      return;
    }
    boolean changed = w.advance(now, caughtUp);
    // Only an async operator moves event time without the inputs' watermark changing.
    if (!changed && (asyncOps.isEmpty() || context.currentWatermark() == lastEventTime)) {
      return;
    }
    passEventTimeOn(now);
  }

  /**
   * Passes on event time an async operator stopped holding back once its oldest records were
   * emitted (design record 010); nothing when it did not move.
   *
   * @param now processing time
   */
  public void releaseHeldEventTime(long now) {
    if (context.watermarks().tracksEventTime() && context.currentWatermark() != lastEventTime) {
      passEventTimeOn(now);
    }
  }

  private void passEventTimeOn(long now) {
    TaskWatermarks w = context.watermarks();
    long eventTime = context.currentWatermark();
    lastEventTime = eventTime;
    fireEventTimers();
    if (context.markerOutputs().isEmpty()) {
      return;
    }
    // While an async operator holds event time back the task is not idle: records are coming.
    boolean idle = w.idle() && eventTime == w.watermark();
    byte[] marker = MarkerFormat.encode(id.partition(), eventTime, idle);
    RecordCollector out = context.collector();
    for (String topic : context.markerOutputs()) {
      int partitions = out.partitionCount(topic);
      for (int p = 0; p < partitions; p++) {
        out.send(topic, p, null, marker, now, MarkerFormat.headers());
      }
    }
  }

  private void fireEventTimers() {
    long wm = context.currentWatermark();
    if (wm != Long.MIN_VALUE) {
      fireTimers("event-time", op -> op.onWatermark(wm));
    }
  }

  /** Fires processing-time timers due at {@code now}. */
  public void fireProcessingTimers(long now) {
    fireTimers("processing-time", op -> op.onProcessingTime(now));
  }

  private interface TimerStep {
    void run(StreamOperator op) throws Exception;
  }

  private void fireTimers(String domain, TimerStep step) {
    for (StreamOperator op : operators) {
      try {
        step.run(op);
      } catch (OperatorException e) {
        errors.handle(ErrorHandling.Stage.PROCESSING, e.operator(), e.getCause(), context);
      } catch (dev.weir.errors.WeirException e) {
        throw e; // already names the task, the operator and what to do (an async timeout)
      } catch (Exception e) {
        throw new dev.weir.errors.WeirException(
            "Task " + id + ": firing " + domain + " timers of '" + op.name() + "' failed: " + e, e);
      }
    }
  }

  // ---- Async I/O (design record 010) ----

  /** Whether the task has an async operator. */
  public boolean hasAsync() {
    return !asyncOps.isEmpty();
  }

  /** Async requests started and not emitted yet. */
  public int asyncInFlight() {
    int n = 0;
    for (int i = 0; i < asyncOps.size(); i++) {
      n += asyncOps.get(i).inFlight();
    }
    return n;
  }

  /**
   * Async requests in flight that a commit must wait for: those of operators without a store
   * (design record 015; their input stream has no serde). Requests of the other operators stay in
   * flight across a commit.
   */
  public int asyncInFlightToDrain() {
    int n = 0;
    for (int i = 0; i < asyncOps.size(); i++) {
      AsyncWaitOperator<?, ?> op = asyncOps.get(i);
      if (op.drainsAtCommit()) {
        n += op.inFlight();
      }
    }
    return n;
  }

  /** Whether results wait to be taken by {@link #runAsync}. */
  public boolean hasAsyncCompletions() {
    for (int i = 0; i < asyncOps.size(); i++) {
      if (asyncOps.get(i).hasCompletions()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the task takes no more input now: an async operator is at its capacity, or records wait
   * in the task's buffer. The thread then buffers the rest of a poll ({@link #buffer}) and pauses
   * the task's partitions.
   */
  public boolean isBlocked() {
    if (!buffered.isEmpty()) {
      return true;
    }
    for (int i = 0; i < asyncOps.size(); i++) {
      if (asyncOps.get(i).full()) {
        return true;
      }
    }
    return false;
  }

  /** Keeps a polled record for later: its offset counts only once it is processed. */
  public void buffer(Input input, ConsumerRecord<byte[], byte[]> record) {
    buffered.addLast(new Buffered(input, record));
  }

  /** The earliest processing time an async timeout or retry is due, or MAX_VALUE. */
  public long nextAsyncDeadline() {
    long next = Long.MAX_VALUE;
    for (int i = 0; i < asyncOps.size(); i++) {
      next = Math.min(next, asyncOps.get(i).nextDeadline());
    }
    return next;
  }

  /**
   * On the task's thread: emits the async results that arrived (a failed request goes to the
   * processing error handler with its record's position), then processes buffered records while
   * there is room.
   *
   * @return whether any result arrived
   * @throws Exception like {@link #process(Input, ConsumerRecord)}
   */
  public boolean runAsync() throws Exception {
    boolean any = false;
    for (int i = 0; i < asyncOps.size(); i++) {
      any |= runAsyncStep(asyncOps.get(i), false, 0);
    }
    while (!buffered.isEmpty() && !blockedByCapacity()) {
      Buffered b = buffered.pollFirst();
      process(b.input, b.record);
    }
    return any;
  }

  private boolean blockedByCapacity() {
    for (int i = 0; i < asyncOps.size(); i++) {
      if (asyncOps.get(i).full()) {
        return true;
      }
    }
    return false;
  }

  /** One drain (or timeout pass) of an async operator, each failed request through the handler. */
  private boolean runAsyncStep(AsyncWaitOperator<?, ?> op, boolean timers, long now)
      throws Exception {
    boolean any = false;
    while (true) {
      try {
        if (timers) {
          return op.runTimers(now) || any;
        }
        return op.drain() || any;
      } catch (OperatorException e) {
        any = true;
        errors.handle(ErrorHandling.Stage.PROCESSING, e.operator(), e.getCause(), context);
      }
    }
  }

  /**
   * Before a commit: emits the async results that arrived (so they join this transaction), then
   * waits on the thread's signal until every request of an operator without a store is emitted (or
   * timed out), so that the commit's offsets hold no record without its results (design record
   * 015). Takes no new input meanwhile; bounded by those operators' timeouts. Requests of operators
   * with a store stay in flight: {@link #prepareCommit} writes them into the transaction.
   *
   * @param signal released by every arriving result
   * @throws Exception a failed request under the {@code fail} handler, a timeout, ...
   */
  public void awaitAsync(java.util.concurrent.Semaphore signal) throws Exception {
    long start = context.currentProcessingTime();
    for (int i = 0; i < asyncOps.size(); i++) {
      runAsyncStep(asyncOps.get(i), true, start);
    }
    while (asyncInFlightToDrain() > 0) {
      signal.drainPermits();
      long now = context.currentProcessingTime();
      boolean any = false;
      for (int i = 0; i < asyncOps.size(); i++) {
        any |= runAsyncStep(asyncOps.get(i), true, now);
      }
      if (any || asyncInFlightToDrain() == 0 || hasAsyncCompletions()) {
        continue;
      }
      long wait = nextAsyncDeadline() - now;
      if (wait > 0) {
        // Woken by the next result; the deadline bounds it (a timeout is due then).
        signal.tryAcquire(Math.min(wait, 1000), java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    releaseHeldEventTime(context.currentProcessingTime());
  }

  /** Resumes event time from the metadata committed with the input offsets. */
  public void restoreEventTime(Map<TopicPartition, OffsetAndMetadata> committedOffsets) {
    committedOffsets.forEach(
        (tp, om) -> {
          // Only this task's own input partitions: the state is restored per input topic, so
          // another partition of the same topic would overwrite it.
          if (om != null && owns(tp)) {
            context.watermarks().restore(tp.topic(), om.metadata());
            lastEventTime = context.currentWatermark();
            lastMetadata.put(tp, om.metadata());
            initialOffsets.put(tp, om.offset());
          }
        });
  }

  /** Whether {@code tp} is one of the partitions this task reads. */
  private boolean owns(TopicPartition tp) {
    InputHandler h = inputs.get(tp.topic());
    return h != null && (tp.partition() == id.partition() || h.readsAllPartitions());
  }

  /**
   * The offset and metadata of one input partition as they are committed now, or null when the task
   * knows none. Committing it again changes nothing; the thread adds it to a transaction that would
   * otherwise carry no offsets (only timer output, watermark markers or TTL deletes), because only
   * offsets make the group coordinator check the member's generation (KIP-447) and so fence a
   * zombie that lost the task.
   */
  public Map.Entry<TopicPartition, OffsetAndMetadata> unchangedOffset() {
    // An offset this task committed, else one it started from; no allocation on the commit path.
    Map<TopicPartition, Long> known = committed.isEmpty() ? initialOffsets : committed;
    if (known.isEmpty()) {
      return null;
    }
    Map.Entry<TopicPartition, Long> e = known.entrySet().iterator().next();
    return Map.entry(
        e.getKey(), new OffsetAndMetadata(e.getValue(), lastMetadata.getOrDefault(e.getKey(), "")));
  }

  /**
   * Offsets processed since the last commit, as the next offsets to read, with the inputs'
   * event-time state as metadata; a partition whose event-time state changed is included even when
   * its offset did not move.
   */
  public Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    TaskWatermarks w = context.watermarks();
    boolean eventTime = w.tracksEventTime();
    consumed.forEach(
        (tp, in) -> {
          if (in.next < 0 || in.handler.readsAllPartitions()) {
            return; // a broadcast input's position is in the task's state, not the group's
          }
          Long off = in.next;
          String meta = eventTime ? w.encode(tp.topic()) : "";
          if (!off.equals(committed.get(tp)) || !meta.equals(lastMetadata.get(tp))) {
            out.put(tp, new OffsetAndMetadata(off, meta));
            pendingMetadata.put(tp, meta);
          }
        });
    if (eventTime) {
      // A partition not read since the task started keeps the offset it started from, but its
      // event-time state can change (it went idle, the task's watermark moved on without it): a
      // restart must not resume from the older state, so commit the same offset with the new one.
      initialOffsets.forEach(
          (tp, off) -> {
            Input in = consumed.get(tp);
            if (in != null && in.next >= 0) {
              return;
            }
            String meta = w.encode(tp.topic());
            if (!meta.equals(lastMetadata.get(tp))) {
              out.put(tp, new OffsetAndMetadata(off, meta));
              pendingMetadata.put(tp, meta);
            }
          });
    }
    return out;
  }

  /**
   * Called before the thread commits its transaction: operators write what belongs in it
   * (two-phase-commit sinks pre-commit and record their handles), a batch of expired TTL entries is
   * removed, then the uncommitted state writes go to the changelog, inside the transaction.
   */
  public void prepareCommit() {
    if (asyncInFlightToDrain() > 0) {
      // Offsets of records still in flight would commit without their results or a record of
      // the requests (design record 015).
      throw new IllegalStateException(
          "Task "
              + id
              + " commits with "
              + asyncInFlightToDrain()
              + " async requests in flight that no store keeps");
    }
    for (StreamOperator op : operators) {
      op.prepareCommit();
    }
    TaskState state = context.state();
    if (state != null) {
      state.cleanupExpired(ttlCleanupBatch);
      context
          .metrics()
          .changelogRecordsSent
          .add(state.prepareCommit(context.collector(), context.currentProcessingTime()));
    }
  }

  /** Called after the transaction committed: the offsets and state writes are now durable. */
  public void postCommit() {
    consumed.forEach(
        (tp, in) -> {
          if (in.next >= 0 && !in.handler.readsAllPartitions()) {
            committed.put(tp, in.next);
          }
        });
    lastMetadata.putAll(pendingMetadata);
    pendingMetadata.clear();
    TaskState state = context.state();
    if (state != null) {
      state.postCommit();
    }
  }

  /**
   * Called after every task of the commit ran {@link #postCommit()}: the steps that follow a Kafka
   * commit in other systems (two-phase-commit sinks commit their external transactions).
   *
   * @throws RuntimeException the first failure, after every operator was called
   */
  public void afterCommit() {
    RuntimeException failure = null;
    for (StreamOperator op : operators) {
      try {
        op.afterCommit();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Bytes of state written since the last commit (the thread forces a commit past a limit). */
  public long uncommittedStateBytes() {
    TaskState state = context.state();
    return state == null ? 0 : state.uncommittedBytes();
  }

  /** How many entries TTL cleanup visits per operator and commit. */
  public void setTtlCleanupBatch(int entries) {
    this.ttlCleanupBatch = entries;
  }

  /**
   * The committed changelog offset sum of the task's state (see {@link
   * TaskState#committedOffsetSum}), or -1 for a stateless or closed task. On the task's thread.
   */
  public long committedOffsetSum() {
    TaskState state = context.state();
    return state == null || closed ? -1 : state.committedOffsetSum();
  }

  /** Closes operators (user close()); after a failure {@code clean} is false. */
  public void close(boolean clean) {
    if (closed) {
      return;
    }
    closed = true;
    buffered.clear();
    for (StreamOperator op : operators) {
      try {
        op.close();
      } catch (Exception e) {
        LOG.warn("Task {}: closing operator '{}' failed", id, op.name(), e);
      }
    }
    TaskState state = context.state();
    if (state != null) {
      // Uncommitted writes are dropped; committed ones are already in the local store.
      state.close();
    }
    context.metricScope().close();
    LOG.debug("Task {} closed ({})", id, clean ? "clean" : "dirty");
  }
}
