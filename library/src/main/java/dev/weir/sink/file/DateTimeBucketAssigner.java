package dev.weir.sink.file;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Buckets records by time formatted with a {@link DateTimeFormatter} pattern: by default {@code
 * yyyy-MM-dd--HH} (hourly directories) in UTC, by processing time as Flink's assigner does. {@link
 * #eventTime} buckets by the record's timestamp instead, which is deterministic: a record replayed
 * after a failure lands in the same bucket. Copied per task; not thread-safe.
 *
 * @param <IN> the record type
 */
public final class DateTimeBucketAssigner<IN> implements BucketAssigner<IN> {
  private static final long serialVersionUID = 1L;

  /** The default pattern: one directory per hour. */
  public static final String DEFAULT_FORMAT = "yyyy-MM-dd--HH";

  private final String format;
  private final ZoneId zone;
  private final boolean eventTime;
  private transient DateTimeFormatter formatter;

  private DateTimeBucketAssigner(String format, ZoneId zone, boolean eventTime) {
    this.format = Objects.requireNonNull(format, "format");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.eventTime = eventTime;
    DateTimeFormatter.ofPattern(format); // fails now on a bad pattern, not in the task
  }

  /** Hourly buckets ({@code yyyy-MM-dd--HH}) by processing time in UTC. */
  public DateTimeBucketAssigner() {
    this(DEFAULT_FORMAT, ZoneOffset.UTC, false);
  }

  /**
   * Buckets by processing time with {@code format} in {@code zone}.
   *
   * @param format a {@link DateTimeFormatter} pattern; not null
   * @param zone the time zone; not null
   * @throws IllegalArgumentException when the pattern is invalid
   */
  public DateTimeBucketAssigner(String format, ZoneId zone) {
    this(format, zone, false);
  }

  /**
   * Buckets by the record's timestamp with {@code format} in UTC.
   *
   * @param format a {@link DateTimeFormatter} pattern; not null
   * @param <IN> the record type
   * @return the assigner
   * @throws IllegalArgumentException when the pattern is invalid
   */
  public static <IN> DateTimeBucketAssigner<IN> eventTime(String format) {
    return new DateTimeBucketAssigner<>(format, ZoneOffset.UTC, true);
  }

  @Override
  public String getBucketId(IN element, Context context) {
    if (formatter == null) {
      formatter = DateTimeFormatter.ofPattern(format).withZone(zone);
    }
    long t = eventTime ? context.timestamp() : context.currentProcessingTime();
    return formatter.format(Instant.ofEpochMilli(t));
  }
}
