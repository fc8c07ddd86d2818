package dev.weir.internal.runtime;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of an application instance as the runtime drives it. The facade maps each state by
 * name to the public {@code dev.weir.ApplicationState}, which has the same states and transitions
 * (a test in {@code dev.weir} keeps the two tables equal); the runtime keeps its own so that it
 * does not depend on the facade package.
 */
public enum RuntimeState {
  CREATED,
  REBALANCING,
  RUNNING,
  PENDING_SHUTDOWN,
  NOT_RUNNING,
  PENDING_ERROR,
  ERROR;

  private Set<RuntimeState> next() {
    return switch (this) {
      case CREATED -> EnumSet.of(REBALANCING, PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR);
      case REBALANCING -> EnumSet.of(RUNNING, PENDING_SHUTDOWN, PENDING_ERROR);
      case RUNNING -> EnumSet.of(REBALANCING, PENDING_SHUTDOWN, PENDING_ERROR);
      case PENDING_SHUTDOWN -> EnumSet.of(NOT_RUNNING);
      case PENDING_ERROR -> EnumSet.of(ERROR, PENDING_SHUTDOWN);
      case NOT_RUNNING, ERROR -> EnumSet.noneOf(RuntimeState.class);
    };
  }

  /** Returns whether the runtime may move from this state to {@code target}. */
  public boolean canTransitionTo(RuntimeState target) {
    return next().contains(target);
  }

  /** Returns whether no transition leaves this state. */
  public boolean isTerminal() {
    return this == NOT_RUNNING || this == ERROR;
  }
}
