package dev.weir;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a {@link WeirApplication} instance.
 *
 * <pre>
 *   CREATED ──start()──▶ REBALANCING ◀──▶ RUNNING
 *      │                     │               │
 *      │                     └──close()──────┴──▶ PENDING_SHUTDOWN ──▶ NOT_RUNNING
 *      │                     │               │
 *      └──close()──▶ NOT_RUNNING            └──thread failure──▶ PENDING_ERROR ──▶ ERROR
 * </pre>
 *
 * <p>A {@code start()} that fails (a topic check, the state directory) also moves to {@code
 * PENDING_ERROR} and then {@code ERROR}, from {@code CREATED} or {@code REBALANCING}.
 */
public enum ApplicationState {
  /** Built, not started. */
  CREATED,
  /** Threads are joining the group or taking over tasks. */
  REBALANCING,
  /** Every thread has its tasks and processes. */
  RUNNING,
  /** {@code close()} was called; threads are committing and stopping. */
  PENDING_SHUTDOWN,
  /** Stopped cleanly. Terminal. */
  NOT_RUNNING,
  /** A thread failed and the failure policy stops the instance; threads are stopping. */
  PENDING_ERROR,
  /** Stopped after a failure. Terminal. */
  ERROR;

  private Set<ApplicationState> next() {
    return switch (this) {
      case CREATED -> EnumSet.of(REBALANCING, PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR);
      case REBALANCING -> EnumSet.of(RUNNING, PENDING_SHUTDOWN, PENDING_ERROR);
      case RUNNING -> EnumSet.of(REBALANCING, PENDING_SHUTDOWN, PENDING_ERROR);
      case PENDING_SHUTDOWN -> EnumSet.of(NOT_RUNNING);
      case PENDING_ERROR -> EnumSet.of(ERROR, PENDING_SHUTDOWN);
      case NOT_RUNNING, ERROR -> EnumSet.noneOf(ApplicationState.class);
    };
  }

  /**
   * Returns whether the lifecycle allows moving from this state to {@code target}.
   *
   * @param target the next state
   * @return true when the transition is legal
   */
  public boolean canTransitionTo(ApplicationState target) {
    return next().contains(target);
  }

  /**
   * Returns whether the instance has stopped for good.
   *
   * @return true for NOT_RUNNING and ERROR
   */
  public boolean isTerminal() {
    return this == NOT_RUNNING || this == ERROR;
  }
}
