package dev.weir.functions;

import java.io.Serializable;

/**
 * Extracts the key of a record. Must be deterministic: the same record always yields an equal key.
 *
 * @param <T> record type
 * @param <K> key type
 */
@FunctionalInterface
public interface KeySelector<T, K> extends Serializable {
  /**
   * Returns the key of a record.
   *
   * @param value the record, never null
   * @return the key; must not be null
   * @throws Exception any failure; handled by the configured processing error handler
   */
  K getKey(T value) throws Exception;
}
