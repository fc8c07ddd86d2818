package dev.weir.eventtime;

import java.io.Serializable;

/**
 * Extracts a record's event timestamp. The default uses the Kafka record's timestamp. Copied per
 * task; must be deterministic (replays after a failure must assign the same timestamps).
 *
 * @param <T> the records' type
 */
@FunctionalInterface
public interface TimestampAssigner<T> extends Serializable {
  /**
   * Returns the record's event time.
   *
   * @param element the deserialised record
   * @param recordTimestamp the Kafka record's timestamp
   * @return milliseconds since the epoch
   */
  long extractTimestamp(T element, long recordTimestamp);
}
