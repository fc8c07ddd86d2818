package dev.weir.store;

import java.util.List;

/** A fixture that writes straight to a backend's task state. */
final class BackendFixture implements StoreFixture {
  private final StateBackend backend;
  private final TaskStateStore state;

  private BackendFixture(StateBackend backend, TaskStateStore state) {
    this.backend = backend;
    this.state = state;
  }

  static BackendFixture open(StateBackend backend) {
    return new BackendFixture(backend, backend.open("0_0", List.of("a", "b")));
  }

  @Override
  public KeyValueStore store(String name) {
    return state.store(name);
  }

  @Override
  public void close() {
    state.close();
    backend.close();
  }
}
