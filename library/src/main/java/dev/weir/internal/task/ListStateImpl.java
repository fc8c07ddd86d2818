package dev.weir.internal.task;

import dev.weir.internal.task.StateFormat.Element;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** List state: the whole list is one stored value; with TTL each element has its own clock. */
final class ListStateImpl<T> extends StateHandle<T> implements ListState<T> {
  ListStateImpl(OperatorStates owner, ListStateDescriptor<T> d, boolean keyed) {
    super(owner, d, keyed);
  }

  ListStateImpl(OperatorStates owner, ListStateDescriptor<T> d, byte[] namespacedPrefix) {
    super(owner, d, true, namespacedPrefix, true);
  }

  @Override
  void mergeNamespaces(java.util.Collection<byte[]> sources, byte[] target) {
    owner.setNamespace(target);
    byte[] targetKey = currentKeyPrefix();
    long now = now();
    List<Element> merged = live(targetKey, now);
    for (byte[] ns : sources) {
      if (java.util.Arrays.equals(ns, target)) {
        continue;
      }
      owner.setNamespace(ns);
      byte[] key = currentKeyPrefix();
      merged.addAll(live(key, now));
      store.delete(key);
    }
    owner.setNamespace(target);
    write(targetKey, merged);
  }

  /** The stored elements, expired ones dropped unless expired reads are allowed. */
  private List<Element> live(byte[] key, long now) {
    byte[] v = store.get(key);
    if (v == null) {
      return new ArrayList<>();
    }
    List<Element> all = StateFormat.elements(v);
    if (!ttl || returnExpired) {
      return all;
    }
    List<Element> out = new ArrayList<>(all.size());
    for (Element e : all) {
      if (!expired(e.timestamp(), now)) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public List<T> get() {
    byte[] key = currentKeyPrefix();
    long now = now();
    List<Element> elements = live(key, now);
    List<T> out = new ArrayList<>(elements.size());
    for (Element e : elements) {
      out.add(deserialize(e.bytes()));
    }
    if (ttl && refreshOnRead && !elements.isEmpty()) {
      List<Element> refreshed = new ArrayList<>(elements.size());
      elements.forEach(e -> refreshed.add(new Element(now, e.bytes())));
      write(key, refreshed);
    }
    return out;
  }

  @Override
  public void add(T value) {
    addAll(List.of(Objects.requireNonNull(value, () -> descriptor + ": add(null)")));
  }

  @Override
  public void addAll(List<T> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      return;
    }
    byte[] key = currentKeyPrefix();
    long now = now();
    List<Element> elements = live(key, now);
    for (T v : values) {
      elements.add(
          new Element(
              now, serialize(Objects.requireNonNull(v, () -> descriptor + ": null element"))));
    }
    write(key, elements);
  }

  @Override
  public void update(List<T> values) {
    Objects.requireNonNull(values, "values");
    byte[] key = currentKeyPrefix();
    long now = now();
    List<Element> elements = new ArrayList<>(values.size());
    for (T v : values) {
      elements.add(
          new Element(
              now, serialize(Objects.requireNonNull(v, () -> descriptor + ": null element"))));
    }
    write(key, elements);
  }

  private void write(byte[] key, List<Element> elements) {
    if (elements.isEmpty()) {
      store.delete(key);
    } else {
      store.put(key, StateFormat.list(elements, ttl));
    }
  }

  @Override
  public void clear() {
    store.delete(currentKeyPrefix());
  }

  @Override
  byte[] dropExpired(byte[] value, long now) {
    if (!StateFormat.hasTimestamp(value)) {
      return value;
    }
    List<Element> all = StateFormat.elements(value);
    List<Element> kept = new ArrayList<>(all.size());
    for (Element e : all) {
      if (!expired(e.timestamp(), now)) {
        kept.add(e);
      }
    }
    if (kept.isEmpty()) {
      return null;
    }
    return kept.size() == all.size() ? value : StateFormat.list(kept, true);
  }
}
