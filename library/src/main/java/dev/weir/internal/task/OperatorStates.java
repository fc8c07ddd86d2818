package dev.weir.internal.task;

import dev.weir.state.AggregatingState;
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
import dev.weir.store.KeyValueStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The states of one operator in one task, all kept in the operator's store: resolves descriptors to
 * handles (one handle per name), supplies the current key, the TTL clock and the store, and runs
 * the background TTL cleanup.
 */
final class OperatorStates {
  private final String operatorName;
  private final String storeName;
  private final KeyValueStore store;
  private final Supplier<byte[]> currentKey;
  private final LongSupplier clock;
  private final boolean keyed;
  private final Map<String, StateHandle<?>> handles = new LinkedHashMap<>();
  private final Map<String, SegmentedBuffer<?>> buffers = new LinkedHashMap<>();
  private long expiredRemoved;
  private TimerStore timers;
  private byte[] namespace = new byte[0];
  private StateSerdes serdes = StateSerdes.UNCONFIGURED;
  private ListAppends listAppends;

  /**
   * Creates the states of one operator.
   *
   * @param operatorName for error messages
   * @param storeName the operator's store (also the serde topic name)
   * @param store the operator's store, transactional
   * @param currentKey the serialised key of the record being processed, or null
   * @param clock the processing-time clock (TTL)
   * @param keyed whether the operator runs on a keyed stream
   */
  public OperatorStates(
      String operatorName,
      String storeName,
      KeyValueStore store,
      Supplier<byte[]> currentKey,
      LongSupplier clock,
      boolean keyed) {
    this.operatorName = operatorName;
    this.storeName = storeName;
    this.store = store;
    this.currentKey = currentKey;
    this.clock = clock;
    this.keyed = keyed;
  }

  /**
   * Has every state's serdes configured with {@code configs} when the state is first registered,
   * and called with the state's own topic name (see {@link StateSerdes}).
   *
   * @param applicationId the application id (part of the names)
   * @param configs the application's configuration
   * @return this
   */
  public OperatorStates configuringSerdes(String applicationId, Map<String, ?> configs) {
    this.serdes = new StateSerdes(applicationId, storeName, operatorName, configs);
    return this;
  }

  /** The topic name the serdes of state {@code d} are called with. */
  String serdeTopic(StateDescriptor<?> d) {
    return serdes.topic(d.name());
  }

  /** The topic name the serdes of internal state {@code name} (a buffer) are called with. */
  String serdeTopic(String name) {
    return serdes.topic(name);
  }

  KeyValueStore store() {
    return store;
  }

  /**
   * Has the window lists of this operator keep their appends since the last commit in {@code
   * appends} rather than in the store (design record 042); lists registered before are not
   * affected.
   *
   * @param appends the store's appends, from {@link TaskState#listAppends}; null for none
   * @return this
   */
  OperatorStates appendingListsTo(ListAppends appends) {
    this.listAppends = appends;
    return this;
  }

  /** Where window lists keep their appends since the last commit; null when in the store. */
  ListAppends listAppends() {
    return listAppends;
  }

  long now() {
    return clock.getAsLong();
  }

  /** The operator's timers. */
  public TimerStore timers() {
    if (timers == null) {
      timers = new TimerStore(store);
    }
    return timers;
  }

  void countExpired(int n) {
    expiredRemoved += n;
  }

  /** Entries removed by TTL cleanup so far. */
  public long expiredRemoved() {
    return expiredRemoved;
  }

  /** Sets the namespace (the window, serialised) namespaced handles read and write. */
  public void setNamespace(byte[] namespace) {
    this.namespace = namespace;
  }

  byte[] namespace() {
    return namespace;
  }

  private static byte[] namespacedPrefix(String group, StateDescriptor<?> d) {
    return StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED, group + ":" + d.name());
  }

  /** Value state per key and namespace, in its own group (trigger state, window state). */
  public <T> ValueState<T> namespacedValue(String group, ValueStateDescriptor<T> d) {
    return register(
        "n:" + group,
        d,
        true,
        ValueStateImpl.class,
        x -> new ValueStateImpl<>(this, d, namespacedPrefix(group, d)));
  }

  public <T> ListStateImpl<T> namespacedList(String group, ListStateDescriptor<T> d) {
    return register(
        "n:" + group,
        d,
        true,
        ListStateImpl.class,
        x ->
            new ListStateImpl<>(
                this,
                d,
                StateFormat.statePrefix(
                    StateFormat.SCOPE_NAMESPACED_LIST, group + ":" + d.name())));
  }

  public <T> AppendingStateImpl.Reducing<T> namespacedReducing(
      String group, ReducingStateDescriptor<T> d) {
    return register(
        "n:" + group,
        d,
        true,
        AppendingStateImpl.Reducing.class,
        x -> new AppendingStateImpl.Reducing<>(this, d, namespacedPrefix(group, d)));
  }

  public <I, A, O> AppendingStateImpl.Aggregating<I, A, O> namespacedAggregating(
      String group, AggregatingStateDescriptor<I, A, O> d) {
    return register(
        "n:" + group,
        d,
        true,
        AppendingStateImpl.Aggregating.class,
        x -> new AppendingStateImpl.Aggregating<>(this, d, namespacedPrefix(group, d)));
  }

  public <K, V> MapState<K, V> namespacedMap(String group, MapStateDescriptor<K, V> d) {
    return register(
        "n:" + group,
        d,
        true,
        MapStateImpl.class,
        x -> new MapStateImpl<>(this, d, namespacedPrefix(group, d)));
  }

  /**
   * Merges the namespaced state {@code group:name} of {@code sources} into {@code target}; the
   * state must have been registered (by a trigger or the window operator) before.
   */
  public void mergeNamespaces(
      String group, String name, java.util.Collection<byte[]> sources, byte[] target)
      throws Exception {
    StateHandle<?> h = handles.get("n:" + group + ":" + name);
    if (h != null) {
      byte[] saved = namespace;
      try {
        h.mergeNamespaces(sources, target);
      } finally {
        namespace = saved;
      }
    }
  }

  /**
   * The serialised current key.
   *
   * @param state what asks, for the error message (a descriptor, or an internal state's name)
   * @throws IllegalStateException when there is none
   */
  byte[] currentKey(Object state) {
    byte[] k = currentKey.get();
    if (k == null) {
      throw new IllegalStateException(
          "Operator '"
              + operatorName
              + "' used keyed "
              + state
              + " with no current key: keyed state can be read and written only while processing"
              + " a record (or timer) of a keyed stream, not in open() or close()");
    }
    return k;
  }

  public <T> ValueState<T> value(ValueStateDescriptor<T> d) {
    return register(d, true, ValueStateImpl.class, x -> new ValueStateImpl<>(this, d));
  }

  public <T> ListState<T> list(ListStateDescriptor<T> d) {
    return register(d, true, ListStateImpl.class, x -> new ListStateImpl<>(this, d, true));
  }

  public <K, V> MapState<K, V> map(MapStateDescriptor<K, V> d) {
    return register(d, true, MapStateImpl.class, x -> new MapStateImpl<>(this, d));
  }

  public <T> ReducingState<T> reducing(ReducingStateDescriptor<T> d) {
    return register(
        d,
        true,
        AppendingStateImpl.Reducing.class,
        x -> new AppendingStateImpl.Reducing<>(this, d));
  }

  /** An aggregating state whose {@code addAndGet} rolling operators use. */
  public <I, A, O> AppendingStateImpl<I, A, O> rolling(AggregatingStateDescriptor<I, A, O> d) {
    return register(
        d,
        true,
        AppendingStateImpl.Aggregating.class,
        x -> new AppendingStateImpl.Aggregating<>(this, d));
  }

  public <I, A, O> AggregatingState<I, O> aggregating(AggregatingStateDescriptor<I, A, O> d) {
    return register(
        d,
        true,
        AppendingStateImpl.Aggregating.class,
        x -> new AppendingStateImpl.Aggregating<>(this, d));
  }

  /**
   * A keyed, time-ordered record buffer that expires by time segments (design record 018; the
   * interval join's): one instance per name.
   *
   * @param name the buffer's name, part of every key; its own key space, apart from the states'
   * @param records the records' serde
   * @param segmentMs the length of a segment, at least 1 ms; the same at every call for a name
   * @throws IllegalStateException when the operator is not keyed, or the name was registered with
   *     another segment length
   */
  public <T> SegmentedBuffer<T> segmentedBuffer(
      String name, org.apache.kafka.common.serialization.Serde<T> records, long segmentMs) {
    if (!keyed) {
      throw new IllegalStateException(
          "Operator '" + operatorName + "' asked for keyed buffer '" + name + "' but is not keyed");
    }
    SegmentedBuffer<?> b = buffers.get(name);
    if (b == null) {
      SegmentedBuffer<T> created =
          new SegmentedBuffer<>(this, name, new RecordListSerde<>(records), segmentMs);
      buffers.put(name, created);
      return created;
    }
    if (b.segmentMs() != segmentMs) {
      throw new IllegalStateException(
          "Operator '"
              + operatorName
              + "' registers buffer '"
              + name
              + "' with segments of "
              + segmentMs
              + " ms, but it has segments of "
              + b.segmentMs()
              + " ms");
    }
    @SuppressWarnings("unchecked")
    SegmentedBuffer<T> typed = (SegmentedBuffer<T>) b;
    return typed;
  }

  /**
   * Broadcast state: a task-scoped map (no key) in its own scope, so that it never collides with
   * keyed or operator state of the same name.
   */
  public <K, V> MapState<K, V> broadcast(MapStateDescriptor<K, V> d) {
    return register(
        "b",
        d,
        false,
        MapStateImpl.class,
        x ->
            new MapStateImpl<>(
                this, d, StateFormat.statePrefix(StateFormat.SCOPE_BROADCAST, d.name()), false));
  }

  /**
   * The distinct keys that have entries of keyed state {@code name} in this task, in byte order;
   * read before the caller visits them, so the visit may change the state.
   */
  public java.util.List<byte[]> keysOf(String name) {
    byte[] prefix = StateFormat.statePrefix(StateFormat.SCOPE_KEYED, name);
    java.util.List<byte[]> keys = new java.util.ArrayList<>();
    byte[] last = null;
    try (dev.weir.store.KeyValueIterator it = store.prefixScan(prefix)) {
      while (it.hasNext()) {
        byte[] k = it.next().key();
        int len = java.nio.ByteBuffer.wrap(k, prefix.length, 4).getInt();
        byte[] key = java.util.Arrays.copyOfRange(k, prefix.length + 4, prefix.length + 4 + len);
        if (last == null || !java.util.Arrays.equals(last, key)) {
          keys.add(key);
          last = key;
        }
      }
    }
    return keys;
  }

  /** Task-scoped list state (no key). */
  public <T> ListState<T> operatorList(ListStateDescriptor<T> d) {
    return register(d, false, ListStateImpl.class, x -> new ListStateImpl<>(this, d, false));
  }

  private <S> S register(
      StateDescriptor<?> d,
      boolean keyedState,
      Class<?> kind,
      Function<StateDescriptor<?>, StateHandle<?>> create) {
    return register(keyedState ? "k" : "o", d, keyedState, kind, create);
  }

  @SuppressWarnings("unchecked")
  private <S> S register(
      String scope,
      StateDescriptor<?> d,
      boolean keyedState,
      Class<?> kind,
      Function<StateDescriptor<?>, StateHandle<?>> create) {
    Objects.requireNonNull(d, "descriptor");
    if (keyedState && !keyed) {
      throw new IllegalStateException(
          "Operator '"
              + operatorName
              + "' asked for keyed "
              + d
              + " but does not run on a keyed stream: apply it after keyBy(...)");
    }
    String id = scope + ":" + d.name();
    StateHandle<?> h = handles.get(id);
    if (h == null) {
      serdes.configure(d);
      h = create.apply(d);
      handles.put(id, h);
    } else if (!kind.isInstance(h)) {
      throw new IllegalStateException(
          "Operator '"
              + operatorName
              + "' registers state '"
              + d.name()
              + "' as "
              + d
              + " but it is already registered as "
              + h.descriptor
              + ": give each state its own name");
    }
    return (S) h;
  }

  /**
   * Removes expired entries of TTL states, visiting at most {@code budget} entries in total.
   *
   * @return entries visited
   */
  public int cleanupExpired(int budget) {
    int left = budget;
    long now = now();
    for (StateHandle<?> h : handles.values()) {
      if (left <= 0) {
        break;
      }
      left -= h.cleanupExpired(left, now);
    }
    return budget - left;
  }
}
