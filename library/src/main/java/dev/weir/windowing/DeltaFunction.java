package dev.weir.windowing;

import java.io.Serializable;

/**
 * The distance between two records, for {@link DeltaEvictor}.
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface DeltaFunction<T> extends Serializable {
  /**
   * Returns the distance.
   *
   * @param oldPoint an earlier record
   * @param newPoint the newest record
   * @return the distance
   */
  double getDelta(T oldPoint, T newPoint);
}
