package dev.weir.serde.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out one registry client per distinct registry configuration, so that every serde of an
 * application shares one cache. Thread-safe.
 */
public final class SchemaRegistries {
  private static final Map<RegistryConfig, SchemaRegistry> CLIENTS = new ConcurrentHashMap<>();

  private SchemaRegistries() {}

  /**
   * Returns the registry a serde configuration names.
   *
   * @param configs the serde's configuration ({@link RegistryConfig} keys)
   * @return the shared client, or the in-memory registry for a {@code mock://} URL
   * @throws org.apache.kafka.common.config.ConfigException when the configuration is incomplete
   */
  public static SchemaRegistry get(Map<String, ?> configs) {
    RegistryConfig c = RegistryConfig.from(configs);
    if (c.isMock()) {
      return InMemorySchemaRegistry.scope(c.urls().get(0).substring("mock://".length()));
    }
    return CLIENTS.computeIfAbsent(c, SchemaRegistryClient::new);
  }
}
