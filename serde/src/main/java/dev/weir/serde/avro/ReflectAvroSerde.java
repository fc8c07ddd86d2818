package dev.weir.serde.avro;

import dev.weir.serde.registry.SchemaRegistry;

/**
 * Plain Java classes (POJOs with a no-argument constructor) in the Confluent wire format, with the
 * schema Avro's reflection derives from the class. For a field added later to read old values, give
 * it a default with {@code @org.apache.avro.reflect.AvroDefault}.
 *
 * @param <T> the class
 */
public final class ReflectAvroSerde<T> extends AvroSerde<T> {
  /**
   * A serde for a class; configure it before use.
   *
   * @param type the class
   * @throws IllegalArgumentException when Avro cannot derive a schema from it
   */
  public ReflectAvroSerde(Class<T> type) {
    this(type, null);
  }

  /**
   * A serde for a class with a given registry.
   *
   * @param type the class
   * @param registry the registry, or null to take it from the configuration
   * @throws IllegalArgumentException when Avro cannot derive a schema from it
   */
  public ReflectAvroSerde(Class<T> type, SchemaRegistry registry) {
    super(new AvroFormat.Reflect<>(type), registry);
  }
}
