package dev.weir.internal.task;

import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Map state: one stored entry per map key, under the current key's prefix. */
final class MapStateImpl<K, V> extends StateHandle<V> implements MapState<K, V> {
  private final Serializer<K> keySerializer;
  private final Deserializer<K> keyDeserializer;

  MapStateImpl(OperatorStates owner, MapStateDescriptor<K, V> d, byte[] namespacedPrefix) {
    super(owner, d, true, namespacedPrefix, true);
    this.keySerializer = d.keySerde().serializer();
    this.keyDeserializer = d.keySerde().deserializer();
  }

  /** Map state under {@code prefix} without a key (broadcast state): one map per task. */
  MapStateImpl(OperatorStates owner, MapStateDescriptor<K, V> d, byte[] prefix, boolean keyed) {
    super(owner, d, keyed, prefix, false);
    this.keySerializer = d.keySerde().serializer();
    this.keyDeserializer = d.keySerde().deserializer();
  }

  MapStateImpl(OperatorStates owner, MapStateDescriptor<K, V> d) {
    super(owner, d, true);
    this.keySerializer = d.keySerde().serializer();
    this.keyDeserializer = d.keySerde().deserializer();
  }

  private byte[] entryKey(K mapKey) {
    Objects.requireNonNull(mapKey, () -> descriptor + ": null map key");
    return StateFormat.entryKey(currentKeyPrefix(), keySerializer.serialize(serdeTopic, mapKey));
  }

  @Override
  public V get(K key) {
    byte[] p = readPayload(entryKey(key));
    return p == null ? null : deserialize(p);
  }

  @Override
  public void put(K key, V value) {
    Objects.requireNonNull(value, () -> descriptor + ": null value (use remove)");
    store.put(entryKey(key), encode(serialize(value)));
  }

  @Override
  public void putAll(Map<K, V> entries) {
    entries.forEach(this::put);
  }

  @Override
  public void remove(K key) {
    store.delete(entryKey(key));
  }

  @Override
  public boolean contains(K key) {
    return readPayload(entryKey(key)) != null;
  }

  @Override
  public Map<K, V> entries() {
    Map<K, V> out = new LinkedHashMap<>();
    scan(
        (k, payload) -> {
          out.put(k, deserialize(payload));
          return true;
        });
    return out;
  }

  @Override
  public boolean isEmpty() {
    boolean[] empty = {true};
    scan(
        (k, payload) -> {
          empty[0] = false;
          return false;
        });
    return empty[0];
  }

  private interface EntryVisitor<K> {
    boolean visit(K key, byte[] payload);
  }

  /** Visits live entries of the current key until the visitor returns false. */
  private void scan(EntryVisitor<K> visitor) {
    scan(store.prefixScan(currentKeyPrefix()), visitor);
  }

  /**
   * Visits the live entries {@code entries} returns (entries of the current key) until the visitor
   * returns false, then closes it.
   */
  private void scan(KeyValueIterator entries, EntryVisitor<K> visitor) {
    byte[] p = currentKeyPrefix();
    long now = now();
    List<byte[]> expired = new ArrayList<>();
    List<byte[][]> refreshed = new ArrayList<>();
    try (KeyValueIterator it = entries) {
      while (it.hasNext()) {
        KeyValueEntry e = it.next();
        byte[] v = e.value();
        byte[] payload = StateFormat.payload(v);
        if (ttl && StateFormat.hasTimestamp(v)) {
          if (expired(StateFormat.timestamp(v), now)) {
            if (!returnExpired) {
              expired.add(e.key());
              continue;
            }
          } else if (refreshOnRead) {
            refreshed.add(new byte[][] {e.key(), StateFormat.valueWithTimestamp(payload, now)});
          }
        }
        K mapKey = keyDeserializer.deserialize(serdeTopic, StateFormat.suffix(e.key(), p.length));
        if (!visitor.visit(mapKey, payload)) {
          break;
        }
      }
    }
    expired.forEach(store::delete);
    refreshed.forEach(kv -> store.put(kv[0], kv[1]));
  }

  @Override
  public void clear() {
    deleteCurrentKeyEntries();
  }
}
