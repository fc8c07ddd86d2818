package dev.weir.windowing;

/**
 * A record in a window with its event timestamp, as evictors see it.
 *
 * @param value the record
 * @param timestamp its event timestamp
 * @param <T> record type
 */
public record TimestampedValue<T>(T value, long timestamp) {}
