package dev.weir.internal.task;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The one access layer to keyed state and timers, shared by every keyed operator (process
 * functions, windows, rolling aggregations, and operators with several inputs, whose inputs all see
 * the same key, states and timers): the current key, the operator's states, timer registration,
 * deletion and firing, and the rule that decides what event time has passed.
 *
 * <p>The current key is the serialised key in the task's {@link RecordContext}: set by the input
 * that delivered the record (the repartition record's key, or a keying step), or by a firing timer.
 * It is deserialised only when asked for, and only when it changed.
 *
 * <p>Timers are stored in the operator's store (see {@link TimerStore}) under the current key, or,
 * for an operator that scopes timers further (a window operator: one timer per key and window),
 * under {@code [key length int32][key][namespace]}. Both layouts are the ones Weir always stored,
 * so committed timers stay readable.
 *
 * <p>Created in an operator's {@code doOpen}; used only from the task's thread.
 *
 * @param <K> the key type
 */
final class KeyedContext<K> {
  /** Receives a firing timer; the record context then holds the timer's time and key. */
  @FunctionalInterface
  interface TimerHandler {
    /**
     * @param time the timer's time
     * @param namespace the namespace the timer was registered with, or null for timers of the plain
     *     key
     * @param domain which clock reached the timer
     */
    void onTimer(long time, byte[] namespace, TimeDomain domain) throws Exception;
  }

  private final String operator;
  private final TaskContext task;
  private final RecordContext record;
  private final OperatorStates states;
  private final TimerStore timers;
  private final Deserializer<K> keyDeserializer;
  private final boolean namespaced;
  private final TimerService timerService = new CurrentKeyTimers();
  private final TimerStore.Firing eventFiring = this::fireEvent;
  private final TimerStore.Firing processingFiring = this::fireProcessing;
  private TimerHandler handler;
  private byte[] lastKeyBytes;
  private K lastKey;

  private KeyedContext(
      String operator,
      TaskContext task,
      OperatorStates states,
      Deserializer<K> keyDeserializer,
      boolean namespaced) {
    this.operator = operator;
    this.task = task;
    this.record = task.record();
    this.states = states;
    this.timers = states == null ? null : states.timers();
    this.keyDeserializer = keyDeserializer;
    this.namespaced = namespaced;
  }

  /**
   * The keyed context of an operator whose timers belong to the plain key.
   *
   * @param operator the operator's name, for error messages
   * @param storeName the operator's store; null when it has none (then it has no states or timers)
   * @param task the task
   * @param keyDeserializer reads the current key; null when the operator never asks for it
   */
  public static <K> KeyedContext<K> of(
      String operator, String storeName, TaskContext task, Deserializer<K> keyDeserializer) {
    return new KeyedContext<>(
        operator, task, task.operatorStates(operator, storeName), keyDeserializer, false);
  }

  /** The keyed context of an operator whose timers belong to (key, namespace) pairs. */
  public static <K> KeyedContext<K> namespaced(
      String operator, String storeName, TaskContext task, Deserializer<K> keyDeserializer) {
    return new KeyedContext<>(
        operator, task, task.operatorStates(operator, storeName), keyDeserializer, true);
  }

  /**
   * The one rule of event time (SEMANTICS decision 1): {@code time} has passed once the watermark
   * reached it. An event-time timer at or below the watermark is due; a record or window cleanup
   * time at or below it is late.
   */
  public static boolean isPast(long time, long watermark) {
    return time <= watermark;
  }

  /**
   * Whether {@code time} has passed on the task's event-time clock (see {@link #isPast(long,
   * long)}).
   */
  public boolean isPast(long time) {
    return isPast(time, task.currentWatermark());
  }

  /** The operator's states, or null when it has no store. */
  public OperatorStates states() {
    return states;
  }

  /**
   * The serialised current key.
   *
   * @throws IllegalStateException when no keyed record or timer is being processed
   */
  public byte[] currentKeyBytes() {
    byte[] k = record.keyBytes();
    if (k == null) {
      throw new IllegalStateException(
          "Operator '"
              + operator
              + "': keys and timers can be used only while processing a record (or timer) of a"
              + " keyed stream");
    }
    return k;
  }

  /** The current key, deserialised once per key change. */
  public K currentKey() {
    byte[] bytes = record.keyBytes();
    if (bytes != lastKeyBytes) {
      lastKey = bytes == null ? null : keyDeserializer.deserialize(record.topic(), bytes);
      lastKeyBytes = bytes;
    }
    return lastKey;
  }

  /** A {@link TimerService} for the current key, one instance per operator. */
  public TimerService timerService() {
    return timerService;
  }

  /** Registers an event-time timer of the current key (and {@code namespace}, when namespaced). */
  public void registerEventTimeTimer(long time, byte[] namespace) {
    register(TimerStore.EVENT, time, namespace);
    if (isPast(time)) {
      // Due already: the task fires it right after the current record, not at the next watermark.
      task.setTimersDue();
    }
  }

  /** Registers a processing-time timer of the current key (and {@code namespace}). */
  public void registerProcessingTimeTimer(long time, byte[] namespace) {
    register(TimerStore.PROCESSING, time, namespace);
  }

  /** Registers a timer, without building its key when it is the one registered last. */
  private void register(byte domain, long time, byte[] namespace) {
    TimerStore t = timers();
    if (!(namespaced && namespace == null)
        && t.isLastRegistered(domain, time, currentKeyBytes(), namespaced ? namespace : null)) {
      return;
    }
    t.register(domain, time, timerKey(namespace));
  }

  /** Deletes an event-time timer of the current key; nothing happens when there is none. */
  public void deleteEventTimeTimer(long time, byte[] namespace) {
    timers().delete(TimerStore.EVENT, time, timerKey(namespace));
  }

  /** Deletes a processing-time timer of the current key; nothing happens when there is none. */
  public void deleteProcessingTimeTimer(long time, byte[] namespace) {
    timers().delete(TimerStore.PROCESSING, time, timerKey(namespace));
  }

  /**
   * Fires, in time order, the event-time timers at or below {@code watermark}, each with its key in
   * the record context, including timers that firing registers.
   */
  public void fireEventTimers(long watermark, TimerHandler h) throws Exception {
    if (timers != null) {
      handler = h;
      timers.fireUpTo(TimerStore.EVENT, watermark, eventFiring);
    }
  }

  /** Fires the processing-time timers at or below {@code now}, as {@link #fireEventTimers}. */
  public void fireProcessingTimers(long now, TimerHandler h) throws Exception {
    if (timers != null) {
      handler = h;
      timers.fireUpTo(TimerStore.PROCESSING, now, processingFiring);
    }
  }

  private void fireEvent(long time, byte[] stored) throws Exception {
    fire(time, stored, TimeDomain.EVENT_TIME);
  }

  private void fireProcessing(long time, byte[] stored) throws Exception {
    fire(time, stored, TimeDomain.PROCESSING_TIME);
  }

  private void fire(long time, byte[] stored, TimeDomain domain) throws Exception {
    if (!namespaced) {
      record.setTimer(time, stored);
      handler.onTimer(time, null, domain);
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(stored);
    byte[] key = new byte[b.getInt()];
    b.get(key);
    byte[] namespace = new byte[b.remaining()];
    b.get(namespace);
    record.setTimer(time, key);
    handler.onTimer(time, namespace, domain);
  }

  private TimerStore timers() {
    if (timers == null) {
      throw new IllegalStateException(
          "Operator '" + operator + "' has no store, so it cannot keep timers");
    }
    return timers;
  }

  private byte[] timerKey(byte[] namespace) {
    byte[] key = currentKeyBytes();
    if (!namespaced) {
      return key;
    }
    if (namespace == null) {
      throw new IllegalStateException(
          "Operator '" + operator + "' scopes its timers by namespace; register them with one");
    }
    return ByteBuffer.allocate(4 + key.length + namespace.length)
        .putInt(key.length)
        .put(key)
        .put(namespace)
        .array();
  }

  private final class CurrentKeyTimers implements TimerService {
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
      KeyedContext.this.registerEventTimeTimer(time, null);
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
      KeyedContext.this.registerProcessingTimeTimer(time, null);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
      KeyedContext.this.deleteEventTimeTimer(time, null);
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
      KeyedContext.this.deleteProcessingTimeTimer(time, null);
    }
  }
}
