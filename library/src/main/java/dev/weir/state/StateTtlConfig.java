package dev.weir.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Time-to-live for state: an entry not written (or, with {@link UpdateType#ON_READ_AND_WRITE}, not
 * read either) for {@code ttl} of processing time expires. Expired entries are hidden from reads
 * (unless {@link StateVisibility#RETURN_EXPIRED_IF_NOT_CLEANED_UP}) and removed in the background:
 * at every commit each task scans a bounded number of entries ({@code state.ttl.cleanup.batch}) and
 * deletes the expired ones, writing tombstones to the changelog so a restore never brings them
 * back. The clock is the instance's wall clock (the test driver's processing time in tests); the
 * last-access time is stored with each value, so expiry survives restarts and task moves.
 *
 * <pre>{@code
 * ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("last-seen", Serdes.Long());
 * d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(7)).build());
 * }</pre>
 *
 * <p>For list state each element expires on its own, for map state each entry.
 */
public final class StateTtlConfig {
  /** No expiry (the default of every descriptor). */
  public static final StateTtlConfig DISABLED =
      new StateTtlConfig(Duration.ZERO, UpdateType.DISABLED, StateVisibility.NEVER_RETURN_EXPIRED);

  /** When an entry's clock restarts. */
  public enum UpdateType {
    /** TTL is off. */
    DISABLED,
    /** Creating or writing an entry restarts its clock (the default). */
    ON_CREATE_AND_WRITE,
    /** Reading an entry restarts its clock too. */
    ON_READ_AND_WRITE
  }

  /** Whether reads may see an expired entry that was not yet cleaned up. */
  public enum StateVisibility {
    /** Expired entries are never returned (the default). */
    NEVER_RETURN_EXPIRED,
    /** Expired entries are returned until background cleanup removes them. */
    RETURN_EXPIRED_IF_NOT_CLEANED_UP
  }

  private final Duration ttl;
  private final UpdateType updateType;
  private final StateVisibility visibility;

  private StateTtlConfig(Duration ttl, UpdateType updateType, StateVisibility visibility) {
    this.ttl = ttl;
    this.updateType = updateType;
    this.visibility = visibility;
  }

  /**
   * Starts a TTL configuration.
   *
   * @param ttl how long an entry lives after its last update; positive
   * @return a builder with {@link UpdateType#ON_CREATE_AND_WRITE} and {@link
   *     StateVisibility#NEVER_RETURN_EXPIRED}
   */
  public static Builder newBuilder(Duration ttl) {
    return new Builder(ttl);
  }

  /**
   * Returns whether TTL is on.
   *
   * @return false for {@link #DISABLED}
   */
  public boolean isEnabled() {
    return updateType != UpdateType.DISABLED;
  }

  /**
   * Returns the time-to-live.
   *
   * @return the duration; zero when disabled
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns when an entry's clock restarts.
   *
   * @return the update type
   */
  public UpdateType updateType() {
    return updateType;
  }

  /**
   * Returns whether expired entries may be read.
   *
   * @return the visibility
   */
  public StateVisibility stateVisibility() {
    return visibility;
  }

  @Override
  public String toString() {
    return isEnabled() ? "ttl=" + ttl + "," + updateType + "," + visibility : "ttl=disabled";
  }

  /** Builds a {@link StateTtlConfig}. */
  public static final class Builder {
    private final Duration ttl;
    private UpdateType updateType = UpdateType.ON_CREATE_AND_WRITE;
    private StateVisibility visibility = StateVisibility.NEVER_RETURN_EXPIRED;

    private Builder(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("State TTL must be positive, got " + ttl);
      }
      this.ttl = ttl;
    }

    /**
     * Sets when an entry's clock restarts.
     *
     * @param type {@link UpdateType#ON_CREATE_AND_WRITE} or {@link UpdateType#ON_READ_AND_WRITE}
     * @return this builder
     */
    public Builder setUpdateType(UpdateType type) {
      Objects.requireNonNull(type, "type");
      if (type == UpdateType.DISABLED) {
        throw new IllegalArgumentException(
            "Use StateTtlConfig.DISABLED (the default) to turn TTL off");
      }
      this.updateType = type;
      return this;
    }

    /**
     * Sets whether expired entries may be read before cleanup.
     *
     * @param visibility the visibility
     * @return this builder
     */
    public Builder setStateVisibility(StateVisibility visibility) {
      this.visibility = Objects.requireNonNull(visibility, "visibility");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     */
    public StateTtlConfig build() {
      return new StateTtlConfig(ttl, updateType, visibility);
    }
  }
}
