package dev.weir.internal.runtime;

import dev.weir.internal.config.Settings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The {@code topic.}-prefixed settings: topic configurations for the internal topics Weir creates
 * (changelogs and repartition topics), on top of Weir's own per-kind values. They apply when a
 * topic is created; an existing topic keeps its configuration.
 */
final class TopicSettings {
  static final String PREFIX = "topic.";

  /** Every topic configuration Kafka defines, read from {@link TopicConfig}'s constants. */
  private static final Set<String> KNOWN = known();

  private final Map<String, String> configs;

  private TopicSettings(Map<String, String> configs) {
    this.configs = configs;
  }

  /**
   * Reads and checks the {@code topic.} settings.
   *
   * @throws ConfigException for an unknown topic configuration or one Weir sets per topic kind
   */
  static TopicSettings of(Settings settings) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : settings.originals().entrySet()) {
      String k = e.getKey();
      if (!k.startsWith(PREFIX)) {
        continue;
      }
      String name = k.substring(PREFIX.length());
      if (!KNOWN.contains(name)) {
        throw new ConfigException(
            "Configuration '"
                + k
                + "': '"
                + name
                + "' is not a Kafka topic configuration. The prefix 'topic.' passes a topic"
                + " configuration (for example topic.min.insync.replicas) to the internal topics"
                + " Weir creates; fix the name or remove the setting.");
      }
      if (name.equals(TopicConfig.CLEANUP_POLICY_CONFIG)) {
        throw new ConfigException(
            "Configuration '"
                + k
                + "' cannot be set: Weir compacts changelogs (only the latest value of a key"
                + " is needed to restore) and deletes consumed repartition records itself. Remove"
                + " it.");
      }
      out.put(name, String.valueOf(e.getValue()));
    }
    return new TopicSettings(Map.copyOf(out));
  }

  /** Weir's values for one kind of topic, overridden by the user's {@code topic.} settings. */
  Map<String, String> apply(Map<String, String> weirDefaults) {
    Map<String, String> merged = new TreeMap<>(weirDefaults);
    merged.putAll(configs);
    return merged;
  }

  private static Set<String> known() {
    Set<String> names = new TreeSet<>();
    for (Field f : TopicConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && f.getName().endsWith("_CONFIG")) {
        try {
          names.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Set.copyOf(names);
  }
}
