package dev.weir.windowing;

import java.util.Collection;

/**
 * A window assigner whose windows merge (sessions): after assigning, the windows of a key are
 * merged, and their contents, trigger state and timers follow.
 *
 * @param <T> record type
 * @param <W> window type
 */
public abstract class MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {
  private static final long serialVersionUID = 1L;

  /** For subclasses. */
  protected MergingWindowAssigner() {}

  /**
   * Finds the windows of one key that must merge.
   *
   * @param windows the key's current windows, including the new one
   * @param callback called once per group that merges
   */
  public abstract void mergeWindows(Collection<W> windows, MergeCallback<W> callback);

  /**
   * Receives merges.
   *
   * @param <W> window type
   */
  public interface MergeCallback<W> {
    /**
     * Reports that {@code toBeMerged} merge into {@code mergeResult}.
     *
     * @param toBeMerged two or more windows
     * @param mergeResult the window that replaces them
     */
    void merge(Collection<W> toBeMerged, W mergeResult);
  }
}
