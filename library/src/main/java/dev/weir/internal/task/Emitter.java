package dev.weir.internal.task;

/**
 * Hands a record to the next operator of a chain by method call. The record's timestamp, key and
 * source position travel in the task's {@link RecordContext}, not as arguments, so the hot path
 * allocates nothing per hop.
 */
@FunctionalInterface
interface Emitter<T> {
  void emit(T value) throws Exception;

  /** An emitter for outputs nobody consumes. */
  static <T> Emitter<T> discarding() {
    return v -> {};
  }

  /** Fans one output out to several consumers, in the order they were attached. */
  static <T> Emitter<T> fanOut(java.util.List<Emitter<T>> targets) {
    if (targets.isEmpty()) {
      return discarding();
    }
    if (targets.size() == 1) {
      return targets.get(0);
    }
    java.util.List<Emitter<T>> all = java.util.List.copyOf(targets);
    int n = all.size();
    return v -> {
      for (int i = 0; i < n; i++) {
        all.get(i).emit(v);
      }
    };
  }
}
