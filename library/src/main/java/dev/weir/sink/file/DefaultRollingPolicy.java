package dev.weir.sink.file;

import java.time.Duration;
import java.util.Objects;

/**
 * Ends a part file when it reaches a size, when it is older than a rollover interval, or when no
 * record was written into it for an inactivity interval. Defaults: 128 MiB, 60 s, 60 s. Time is
 * checked when a record arrives and at every commit of the task that has records. Immutable and
 * thread-safe.
 */
public final class DefaultRollingPolicy implements RollingPolicy {
  private static final long serialVersionUID = 1L;

  private final long maxPartSize;
  private final long rolloverMs;
  private final long inactivityMs;

  private DefaultRollingPolicy(long maxPartSize, long rolloverMs, long inactivityMs) {
    this.maxPartSize = maxPartSize;
    this.rolloverMs = rolloverMs;
    this.inactivityMs = inactivityMs;
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean shouldRollOnEvent(PartFileInfo part, long now) {
    return part.size() >= maxPartSize || now - part.creationTime() >= rolloverMs;
  }

  @Override
  public boolean shouldRollOnProcessingTime(PartFileInfo part, long now) {
    return now - part.creationTime() >= rolloverMs || now - part.lastUpdateTime() >= inactivityMs;
  }

  /** Builds a {@link DefaultRollingPolicy}. Not thread-safe. */
  public static final class Builder {
    private long maxPartSize = 128L * 1024 * 1024;
    private long rolloverMs = 60_000;
    private long inactivityMs = 60_000;

    private Builder() {}

    /**
     * Ends a part once it holds at least {@code bytes}.
     *
     * @param bytes at least 1
     * @return this
     * @throws IllegalArgumentException when {@code bytes} is below 1
     */
    public Builder withMaxPartSize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("max part size must be at least 1 byte: " + bytes);
      }
      this.maxPartSize = bytes;
      return this;
    }

    /**
     * Ends a part once it is {@code interval} old.
     *
     * @param interval positive; not null
     * @return this
     * @throws IllegalArgumentException when {@code interval} is not positive
     */
    public Builder withRolloverInterval(Duration interval) {
      this.rolloverMs = positive(interval, "rollover interval");
      return this;
    }

    /**
     * Ends a part no record was written into for {@code interval}.
     *
     * @param interval positive; not null
     * @return this
     * @throws IllegalArgumentException when {@code interval} is not positive
     */
    public Builder withInactivityInterval(Duration interval) {
      this.inactivityMs = positive(interval, "inactivity interval");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public DefaultRollingPolicy build() {
      return new DefaultRollingPolicy(maxPartSize, rolloverMs, inactivityMs);
    }

    private static long positive(Duration d, String what) {
      long ms = Objects.requireNonNull(d, what).toMillis();
      if (ms <= 0) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return ms;
    }
  }
}
