package dev.weir.functions;

import java.io.Serializable;

/**
 * Keeps the records for which it returns {@code true}; drops the rest.
 *
 * @param <T> record type (unchanged by the filter)
 */
@FunctionalInterface
public interface FilterFunction<T> extends Serializable {
  /**
   * Decides whether a record passes.
   *
   * @param value the record, never null
   * @return {@code true} to forward the record unchanged, {@code false} to drop it
   * @throws Exception any failure; handled by the configured processing error handler
   */
  boolean filter(T value) throws Exception;
}
