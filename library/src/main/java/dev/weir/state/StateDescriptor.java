package dev.weir.state;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;

/**
 * Declares a piece of state: its name (unique within the operator), its serdes and, optionally, a
 * time-to-live. A descriptor holds no data; the handle obtained from the runtime context with it
 * reads and writes the state. Names are persisted (they are part of every stored key and of the
 * changelog), so renaming a descriptor starts that state empty.
 *
 * <p>There is no fallback to Java serialisation: every descriptor needs explicit serdes.
 *
 * @param <T> the stored value type
 */
public abstract class StateDescriptor<T> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private final String name;
  private final Serde<T> serde;
  private StateTtlConfig ttl = StateTtlConfig.DISABLED;

  StateDescriptor(String name, Serde<T> serde) {
    Objects.requireNonNull(name, "state name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "State name '"
              + name
              + "' is invalid: use 1-100 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
    }
    this.name = name;
    this.serde =
        Objects.requireNonNull(
            serde,
            () ->
                getClass().getSimpleName()
                    + " '"
                    + name
                    + "' has no serde: Weir never falls back to Java serialisation; pass one, e.g."
                    + " Serdes.Long()");
  }

  /**
   * Returns the state's name.
   *
   * @return the name, unique within its operator
   */
  public final String name() {
    return name;
  }

  /**
   * Returns the serde of the stored values (for {@link MapStateDescriptor}, of the map values).
   *
   * @return the serde
   */
  public final Serde<T> serde() {
    return serde;
  }

  /**
   * Gives this state a time-to-live; see {@link StateTtlConfig}.
   *
   * @param config the TTL settings; not null
   */
  public final void enableTimeToLive(StateTtlConfig config) {
    this.ttl = Objects.requireNonNull(config, "config");
  }

  /**
   * Returns the TTL settings.
   *
   * @return the settings; {@link StateTtlConfig#DISABLED} unless {@link #enableTimeToLive} was
   *     called
   */
  public final StateTtlConfig ttlConfig() {
    return ttl;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + name + ")";
  }
}
