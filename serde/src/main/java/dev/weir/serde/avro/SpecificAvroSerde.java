package dev.weir.serde.avro;

import dev.weir.serde.registry.SchemaRegistry;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro specific records (classes generated from a schema) in the Confluent wire format. Values are
 * written with the class's schema and read into the class, whatever compatible schema wrote them.
 *
 * @param <T> the generated class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> extends AvroSerde<T> {
  /**
   * A serde for a generated class; configure it before use.
   *
   * @param type the class
   * @throws IllegalArgumentException when the class has no Avro record schema
   */
  public SpecificAvroSerde(Class<T> type) {
    this(type, null);
  }

  /**
   * A serde for a generated class with a given registry.
   *
   * @param type the class
   * @param registry the registry, or null to take it from the configuration
   * @throws IllegalArgumentException when the class has no Avro record schema
   */
  public SpecificAvroSerde(Class<T> type, SchemaRegistry registry) {
    super(new AvroFormat.Specific<>(type), registry);
  }
}
