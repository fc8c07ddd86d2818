package dev.weir.internal.task;

import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;

final class ValueStateImpl<T> extends StateHandle<T> implements ValueState<T> {
  private final T defaultValue;

  ValueStateImpl(OperatorStates owner, ValueStateDescriptor<T> d) {
    super(owner, d, true);
    this.defaultValue = d.defaultValue();
  }

  ValueStateImpl(OperatorStates owner, ValueStateDescriptor<T> d, byte[] namespacedPrefix) {
    super(owner, d, true, namespacedPrefix, true);
    this.defaultValue = d.defaultValue();
  }

  @Override
  public T value() {
    byte[] p = readPayload(currentKeyPrefix());
    return p == null ? defaultValue : deserialize(p);
  }

  @Override
  public void update(T value) {
    if (value == null) {
      clear();
      return;
    }
    store.put(currentKeyPrefix(), encode(serialize(value)));
  }

  @Override
  public void clear() {
    store.delete(currentKeyPrefix());
  }
}
