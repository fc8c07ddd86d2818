package dev.weir.state;

/**
 * A state handle. Keyed state handles are scoped to the current key: every call reads or writes the
 * state of the key of the record (or timer) being processed.
 */
public interface State {
  /** Removes this state's value for the current key (or, for operator state, for the task). */
  void clear();
}
