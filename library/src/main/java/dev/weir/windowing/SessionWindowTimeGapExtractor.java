package dev.weir.windowing;

import java.io.Serializable;

/**
 * Gives each record its own session gap (dynamic session windows).
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface SessionWindowTimeGapExtractor<T> extends Serializable {
  /**
   * Returns the gap after this record.
   *
   * @param element the record
   * @return the gap in milliseconds; positive
   */
  long extract(T element);
}
