package dev.weir.internal.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * A parsed, validated configuration as the runtime reads it: the values {@link dev.weir.WeirConfig}
 * checked, the user's original settings, and the names of Weir's own keys (left out of the client
 * configurations). The facade builds one when an application or a test driver starts, so nothing
 * below it depends on the public configuration class. Immutable and thread-safe.
 */
public final class Settings {
  private final Map<String, ?> values;
  private final Map<String, Object> originals;
  private final Set<String> ownKeys;

  /**
   * Reads a parsed configuration.
   *
   * @param parsed the validated configuration
   * @param ownKeys the names of Weir's own settings
   */
  public Settings(AbstractConfig parsed, Set<String> ownKeys) {
    // Copied, not Map.copyOf: a setting without a default parses to null.
    this.values = new HashMap<>(parsed.values());
    this.originals = parsed.originals();
    this.ownKeys = Set.copyOf(ownKeys);
  }

  private Object get(String key) {
    if (!values.containsKey(key)) {
      throw new ConfigException(String.format("Unknown configuration '%s'", key));
    }
    return values.get(key);
  }

  /**
   * Returns a parsed value.
   *
   * @param key a key of {@link ConfigKeys} of this type
   * @return the value (a default when the user set none)
   * @throws ConfigException when {@code key} is not one of Weir's settings
   */
  public String getString(String key) {
    return (String) get(key);
  }

  /**
   * Returns a parsed value.
   *
   * @param key a key of {@link ConfigKeys} of this type
   * @return the value (a default when the user set none)
   * @throws ConfigException when {@code key} is not one of Weir's settings
   */
  public int getInt(String key) {
    return (Integer) get(key);
  }

  /**
   * Returns a parsed value.
   *
   * @param key a key of {@link ConfigKeys} of this type
   * @return the value (a default when the user set none)
   * @throws ConfigException when {@code key} is not one of Weir's settings
   */
  public long getLong(String key) {
    return (Long) get(key);
  }

  /**
   * Returns a parsed value.
   *
   * @param key a key of {@link ConfigKeys} of this type
   * @return the value (a default when the user set none)
   * @throws ConfigException when {@code key} is not one of Weir's settings
   */
  public boolean getBoolean(String key) {
    return (Boolean) get(key);
  }

  /**
   * Returns a parsed value.
   *
   * @param key a key of {@link ConfigKeys} of this type
   * @return the class, or null when the user set none and there is no default
   * @throws ConfigException when {@code key} is not one of Weir's settings
   */
  public Class<?> getClass(String key) {
    return (Class<?>) get(key);
  }

  /** Returns a new mutable copy of the user's settings as given. */
  public Map<String, Object> originals() {
    return new HashMap<>(originals);
  }

  /** Returns the dead-letter topic: the configured one or {@code <application.id>-dlq}. */
  public String deadLetterTopic() {
    String t = getString(ConfigKeys.DEAD_LETTER_TOPIC_CONFIG);
    return t.isBlank() ? getString(ConfigKeys.APPLICATION_ID_CONFIG) + "-dlq" : t;
  }

  /** Returns whether the guarantee is exactly-once. */
  public boolean exactlyOnce() {
    return ConfigKeys.EXACTLY_ONCE.equals(getString(ConfigKeys.PROCESSING_GUARANTEE_CONFIG));
  }

  /**
   * Returns the settings for one Kafka client: pass-through keys, then keys with the client's
   * prefix, stripped (which win). Weir's own keys are left out, except the bootstrap servers.
   *
   * @param prefix {@code consumer.}, {@code producer.}, {@code admin.} or {@code restore.consumer.}
   * @return a new mutable map
   */
  public Map<String, Object> clientProps(String prefix) {
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, Object> e : originals.entrySet()) {
      String k = e.getKey();
      if (isPrefixed(k)) {
        continue;
      }
      if (!ownKeys.contains(k) || k.equals(ConfigKeys.BOOTSTRAP_SERVERS_CONFIG)) {
        out.put(k, e.getValue());
      }
    }
    for (Map.Entry<String, Object> e : originals.entrySet()) {
      String k = e.getKey();
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        out.put(k.substring(prefix.length()), e.getValue());
      }
    }
    return out;
  }

  /** The prefixes that route a setting to one client or to the internal topics only. */
  private static final String[] PREFIXES = {
    "consumer.", "producer.", "admin.", "restore.consumer.", "topic."
  };

  private static boolean isPrefixed(String key) {
    for (String p : PREFIXES) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
