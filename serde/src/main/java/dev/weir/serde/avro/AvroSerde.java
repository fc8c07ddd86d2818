package dev.weir.serde.avro;

import dev.weir.serde.registry.SchemaRegistry;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Base of the Avro serdes: values in the Confluent wire format (magic byte {@code 0}, 4-byte
 * big-endian schema id, Avro binary), schemas in a Confluent-compatible registry. {@link
 * #serializer()} and {@link #deserializer()} return the same two objects every time, so configuring
 * the serde configures what was handed out before.
 *
 * <p>Configuration: {@link dev.weir.serde.registry.RegistryConfig} (where the registry is, auth,
 * TLS, timeouts) and {@link AvroSerdeConfig} (subject naming, auto-registration, latest version).
 * Weir calls {@link #configure} with the application's configuration, once per use (per topic and
 * per state); outside Weir call it yourself. Thread-safe after configuration.
 *
 * @param <T> the value type
 */
public abstract class AvroSerde<T> implements Serde<T> {
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;

  AvroSerde(AvroFormat<T> format, SchemaRegistry registry) {
    this.serializer = new AvroSerializer<>(format, registry);
    this.deserializer = new AvroDeserializer<>(format, registry);
  }

  /**
   * Configures the serializer and deserializer.
   *
   * @param configs the configuration; {@code schema.registry.url} is needed unless a registry was
   *     passed to the constructor
   * @param isKey whether this serde handles record keys
   * @throws org.apache.kafka.common.config.ConfigException when a setting is missing or wrong, or a
   *     state's schema cannot read the state already stored (see {@link StateSchemaCheck})
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
