package dev.weir.internal.task;

import dev.weir.state.BroadcastState;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReadOnlyBroadcastState;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broadcast states of one operator in one task: one map per descriptor the broadcast stream
 * declared, in the operator's store. Hands out writable views to the broadcast side and read-only
 * views to the other side; refuses descriptors that were not declared.
 */
final class BroadcastStates {
  private final String operator;
  private final OperatorStates states;
  private final Map<String, MapStateDescriptor<?, ?>> declared = new HashMap<>();
  private final Map<String, View<?, ?>> views = new HashMap<>();

  BroadcastStates(String operator, OperatorStates states, List<MapStateDescriptor<?, ?>> ds) {
    this.operator = operator;
    this.states = states;
    ds.forEach(d -> declared.put(d.name(), d));
  }

  /** The writable state of {@code d}. */
  @SuppressWarnings("unchecked")
  <K, V> BroadcastState<K, V> writable(MapStateDescriptor<K, V> d) {
    if (!declared.containsKey(d.name())) {
      throw new IllegalArgumentException(
          "Operator '"
              + operator
              + "' asked for broadcast state '"
              + d.name()
              + "', but the broadcast stream declares only "
              + declared.keySet()
              + ": pass the descriptor to broadcast(...)");
    }
    return (BroadcastState<K, V>)
        views.computeIfAbsent(d.name(), n -> new View<>(states.broadcast(d)));
  }

  /** The read-only state of {@code d}. */
  <K, V> ReadOnlyBroadcastState<K, V> readOnly(MapStateDescriptor<K, V> d) {
    BroadcastState<K, V> w = writable(d);
    return new ReadOnlyBroadcastState<>() {
      @Override
      public V get(K key) {
        return w.get(key);
      }

      @Override
      public boolean contains(K key) {
        return w.contains(key);
      }

      @Override
      public Map<K, V> immutableEntries() {
        return w.immutableEntries();
      }
    };
  }

  private static final class View<K, V> implements BroadcastState<K, V> {
    private final MapState<K, V> map;

    View(MapState<K, V> map) {
      this.map = map;
    }

    @Override
    public V get(K key) {
      return map.get(key);
    }

    @Override
    public boolean contains(K key) {
      return map.contains(key);
    }

    @Override
    public Map<K, V> immutableEntries() {
      return Collections.unmodifiableMap(map.entries());
    }

    @Override
    public void put(K key, V value) {
      map.put(key, value);
    }

    @Override
    public void remove(K key) {
      map.remove(key);
    }

    @Override
    public void clear() {
      map.clear();
    }
  }
}
