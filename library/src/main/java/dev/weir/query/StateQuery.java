package dev.weir.query;

import dev.weir.state.AggregatingStateDescriptor;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.StateDescriptor;
import dev.weir.state.ValueStateDescriptor;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Names one keyed state for interactive queries: the {@code uid} of its operator, its descriptor
 * (whose name and serdes decode the stored values) and the serde of the keyed stream's key. Pass it
 * to {@code WeirApplication.query} or {@code WeirTestDriver.query} to read the state.
 *
 * <pre>{@code
 * static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Serdes.Long());
 * ...
 * words.keyBy(w -> w, Serdes.String()).process(new Counter()).uid("counter");
 * ...
 * ReadOnlyKeyedState<String, Long> counts =
 *     app.query(StateQuery.value("counter", COUNT, Serdes.String()));
 * Long alice = counts.get("alice");
 * }</pre>
 *
 * <p>The key serde must write the same bytes as the serde given to {@code keyBy}: the state is
 * addressed by those bytes. Map state reads as a {@link Map} per key. List state cannot be queried
 * yet, nor window state (a window's contents are scoped to the window as well as the key).
 *
 * <p>Immutable and thread-safe. The serdes are used as given: one that needs configuring (a schema
 * registry serde) must be configured by the caller.
 *
 * @param <K> the key type of the keyed stream
 * @param <V> what a key's state reads as
 */
public final class StateQuery<K, V> {
  private final String uid;
  private final StateDescriptor<?> state;
  private final Serde<K> keySerde;
  private final boolean map;
  private final boolean standbys;

  private StateQuery(
      String uid, StateDescriptor<?> state, Serde<K> keySerde, boolean map, boolean standbys) {
    this.uid = Objects.requireNonNull(uid, "uid");
    this.state = Objects.requireNonNull(state, "state");
    this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
    this.map = map;
    this.standbys = standbys;
  }

  /**
   * Queries a {@link dev.weir.state.ValueState}. A key without a value reads as null (the
   * descriptor's default value is not applied).
   *
   * @param uid the operator's uid; not null
   * @param state the state's descriptor; not null
   * @param keySerde the key serde of the keyed stream; not null
   * @param <K> key type
   * @param <V> value type
   * @return the query
   */
  public static <K, V> StateQuery<K, V> value(
      String uid, ValueStateDescriptor<V> state, Serde<K> keySerde) {
    return new StateQuery<>(uid, state, keySerde, false, false);
  }

  /**
   * Queries a {@link dev.weir.state.ReducingState}: its current reduced value per key.
   *
   * @param uid the operator's uid; not null
   * @param state the state's descriptor; not null
   * @param keySerde the key serde of the keyed stream; not null
   * @param <K> key type
   * @param <V> value type
   * @return the query
   */
  public static <K, V> StateQuery<K, V> reducing(
      String uid, ReducingStateDescriptor<V> state, Serde<K> keySerde) {
    return new StateQuery<>(uid, state, keySerde, false, false);
  }

  /**
   * Queries an {@link dev.weir.state.AggregatingState}: its accumulator per key (apply the
   * aggregate function's {@code getResult} to get what {@code get()} returns in the function).
   *
   * @param uid the operator's uid; not null
   * @param state the state's descriptor; not null
   * @param keySerde the key serde of the keyed stream; not null
   * @param <K> key type
   * @param <A> accumulator type
   * @return the query
   */
  public static <K, A> StateQuery<K, A> aggregating(
      String uid, AggregatingStateDescriptor<?, A, ?> state, Serde<K> keySerde) {
    return new StateQuery<>(uid, state, keySerde, false, false);
  }

  /**
   * Queries a {@link dev.weir.state.MapState}: each key reads as its map, in the order of the map
   * keys' serialised bytes; a key without entries reads as null.
   *
   * @param uid the operator's uid; not null
   * @param state the state's descriptor; not null
   * @param keySerde the key serde of the keyed stream; not null
   * @param <K> key type
   * @param <MK> map key type
   * @param <MV> map value type
   * @return the query
   */
  public static <K, MK, MV> StateQuery<K, Map<MK, MV>> map(
      String uid, MapStateDescriptor<MK, MV> state, Serde<K> keySerde) {
    return new StateQuery<>(uid, state, keySerde, true, false);
  }

  /**
   * Returns this query allowed to read standby replicas too. A standby's state lags the active's by
   * what it has not yet read from the changelog (it reads only committed transactions, so it never
   * shows state the active may still roll back); use it to keep serving reads while a failed
   * instance's tasks move. Without it, queries read active tasks only.
   *
   * @return a new query; this one is unchanged
   */
  public StateQuery<K, V> allowStandby() {
    return new StateQuery<>(uid, state, keySerde, map, true);
  }

  /**
   * Returns the operator's uid.
   *
   * @return the uid
   */
  public String uid() {
    return uid;
  }

  /**
   * Returns the state's descriptor.
   *
   * @return the descriptor
   */
  public StateDescriptor<?> state() {
    return state;
  }

  /**
   * Returns the key serde.
   *
   * @return the serde
   */
  public Serde<K> keySerde() {
    return keySerde;
  }

  /**
   * Returns whether the state is a map state (each key reads as a {@link Map}).
   *
   * @return true for {@link #map}
   */
  public boolean isMap() {
    return map;
  }

  /**
   * Returns whether the query may read standby replicas.
   *
   * @return true after {@link #allowStandby()}
   */
  public boolean standbyAllowed() {
    return standbys;
  }

  @Override
  public String toString() {
    return "StateQuery(" + uid + "." + state.name() + (standbys ? ", standbys allowed" : "") + ")";
  }
}
