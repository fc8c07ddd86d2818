package dev.weir.serde.avro;

import dev.weir.serde.registry.RegistryConfig;

/**
 * Configuration keys of the Avro serdes, besides the registry's ({@link RegistryConfig}). The names
 * are Confluent's, so an existing configuration carries over.
 */
public final class AvroSerdeConfig {
  /** Whether a serializer registers a schema it does not find; {@code true} unless set. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /**
   * Whether a serializer writes with the subject's latest schema instead of the value's own (the
   * value is converted when they differ); {@code false} unless set. Use it with {@code
   * auto.register.schemas=false} when schemas are registered by a deployment pipeline.
   */
  public static final String USE_LATEST_VERSION = "use.latest.version";

  /** How long the latest version of a subject is cached, in seconds; -1 (forever) unless set. */
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  /** The subject naming of keys: {@code topic} (default), {@code record}, {@code topic-record}. */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /**
   * The subject naming of values: {@code topic} (default), {@code record}, {@code topic-record}.
   */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /**
   * Set by Weir when it configures a serde for a state: the topic name the state's serde is called
   * with, {@code <application.id>-<store>-<state>}. The serde then writes under the subject {@code
   * <that>-value} ({@code -key} for map-state keys) whatever the naming strategy, always registers,
   * and checks at once that its schema can read every version already under that subject.
   */
  public static final String WEIR_STATE_TOPIC = "weir.state.topic";

  /** Set by Weir with {@link #WEIR_STATE_TOPIC}: the state and its operator, for error messages. */
  public static final String WEIR_STATE_DESCRIPTION = "weir.state.description";

  private AvroSerdeConfig() {}
}
