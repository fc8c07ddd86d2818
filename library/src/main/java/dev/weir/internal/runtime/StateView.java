package dev.weir.internal.runtime;

import dev.weir.internal.task.CommittedReads;
import dev.weir.internal.task.TaskState;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.state.MapStateDescriptor;
import dev.weir.stream.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The typed side of a query: serialises keys with the query's key serde, finds the task through
 * {@link QueryableTasks}, reads its committed state with {@link CommittedReads} and decodes with
 * the descriptor's serdes (called with the topic name the state's serdes get, {@code
 * <application.id>-<store>-<state>}).
 */
final class StateView<K, V> implements ReadOnlyKeyedState<K, V> {
  private final QueryableTasks tasks;
  private final QueryableTasks.Operator op;
  private final StateQuery<K, V> query;
  private final String stateName;
  private final String serdeTopic;
  private final Serializer<K> keySerializer;
  private final Deserializer<K> keyDeserializer;

  StateView(QueryableTasks tasks, QueryableTasks.Operator op, StateQuery<K, V> query) {
    this.tasks = tasks;
    this.op = op;
    this.query = query;
    this.stateName = query.state().name();
    this.serdeTopic = tasks.applicationId() + "-" + op.store() + "-" + stateName;
    this.keySerializer = query.keySerde().serializer();
    this.keyDeserializer = query.keySerde().deserializer();
  }

  @Override
  public V get(K key) {
    Objects.requireNonNull(key, "key");
    byte[] k = keySerializer.serialize(op.keyTopic(), key);
    int partition = tasks.partition(op, k);
    TaskState t = tasks.task(op, stateName, partition);
    List<CommittedReads.Entry> entries;
    try {
      entries = CommittedReads.ofKey(t, op.store(), query.state(), k, tasks.now());
    } catch (IllegalStateException closed) {
      throw tasks.closedMeanwhile(op, stateName, partition);
    }
    return entries.isEmpty() ? null : decode(entries);
  }

  @Override
  public List<KeyValue<K, V>> range(K from, K to) {
    byte[] f = from == null ? null : keySerializer.serialize(op.keyTopic(), from);
    byte[] t = to == null ? null : keySerializer.serialize(op.keyTopic(), to);
    return scan(
        k ->
            (f == null || Arrays.compareUnsigned(k, f) >= 0)
                && (t == null || Arrays.compareUnsigned(k, t) < 0));
  }

  @Override
  public <P> List<KeyValue<K, V>> prefixScan(P prefix, Serializer<? super P> prefixSerializer) {
    Objects.requireNonNull(prefix, "prefix");
    byte[] p = prefixSerializer.serialize(op.keyTopic(), prefix);
    return scan(k -> k.length >= p.length && Arrays.equals(k, 0, p.length, p, 0, p.length));
  }

  @Override
  public List<KeyValue<K, V>> all() {
    return scan(k -> true);
  }

  private List<KeyValue<K, V>> scan(Predicate<byte[]> keys) {
    // Entries of all partitions, grouped by key (a map state's key has several), ordered by the
    // key's bytes: the store orders by key length first, which is no order a user knows.
    Map<byte[], List<CommittedReads.Entry>> byKey =
        new java.util.TreeMap<>(Arrays::compareUnsigned);
    tasks
        .tasks(op, stateName)
        .forEach(
            (partition, t) -> {
              List<CommittedReads.Entry> entries;
              try {
                entries = CommittedReads.scan(t, op.store(), query.state(), keys, tasks.now());
              } catch (IllegalStateException closed) {
                throw tasks.closedMeanwhile(op, stateName, partition);
              }
              entries.forEach(e -> byKey.computeIfAbsent(e.key(), x -> new ArrayList<>()).add(e));
            });
    List<KeyValue<K, V>> out = new ArrayList<>(byKey.size());
    byKey.forEach(
        (k, entries) ->
            out.add(KeyValue.of(keyDeserializer.deserialize(op.keyTopic(), k), decode(entries))));
    return out;
  }

  /** One key's entries: a single value, or a map state's entries in map-key order. */
  @SuppressWarnings("unchecked")
  private V decode(List<CommittedReads.Entry> entries) {
    if (!query.isMap()) {
      return (V)
          query.state().serde().deserializer().deserialize(serdeTopic, entries.get(0).payload());
    }
    MapStateDescriptor<?, ?> d = (MapStateDescriptor<?, ?>) query.state();
    Map<Object, Object> map = new LinkedHashMap<>();
    for (CommittedReads.Entry e : entries) {
      map.put(
          d.keySerde().deserializer().deserialize(serdeTopic, e.mapKey()),
          d.serde().deserializer().deserialize(serdeTopic, e.payload()));
    }
    return (V) map;
  }
}
