package dev.weir.internal.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter that only its owning thread increments and any thread may read: for the counts taken
 * once per record ({@link TaskMetrics#recordsIn}, {@link TaskMetrics#recordsOut}), where a {@link
 * java.util.concurrent.atomic.LongAdder}'s compare-and-swap (a locked instruction) per increment is
 * paid for a contention that cannot happen.
 *
 * <p>Invariant: one writer. The opaque accesses keep each read and write of the 64-bit value whole
 * and make a reader see the counter only move forward; a reader on another thread may see a value a
 * few increments old, as it may with a {@code LongAdder}'s {@code sum()} during updates.
 */
public final class OwnerCounter {
  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(OwnerCounter.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through VALUE
  private long value;

  /** Adds one. Owning thread only. */
  public void increment() {
    VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + 1);
  }

  /**
   * Adds {@code n}. Owning thread only.
   *
   * @param n how many
   */
  public void add(long n) {
    VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + n);
  }

  /**
   * The count so far; any thread.
   *
   * @return the count
   */
  public long sum() {
    return (long) VALUE.getOpaque(this);
  }
}
