package dev.weir.serde.avro;

import dev.weir.serde.registry.SchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro generic records ({@link GenericRecord}) in the Confluent wire format. Without a reader
 * schema, values are read as written; with one, they are resolved to it, which a state needs to
 * evolve (and to get the start-time schema check).
 */
public final class GenericAvroSerde extends AvroSerde<GenericRecord> {
  /** A serde reading values with their writer's schema; configure it before use. */
  public GenericAvroSerde() {
    this(null, null);
  }

  /**
   * A serde resolving values to a reader schema; configure it before use.
   *
   * @param readerSchema the schema values are read as; null to read them as written
   */
  public GenericAvroSerde(Schema readerSchema) {
    this(readerSchema, null);
  }

  /**
   * A serde with a given registry (then {@code schema.registry.url} is not needed).
   *
   * @param readerSchema the schema values are read as; null to read them as written
   * @param registry the registry, or null to take it from the configuration
   */
  public GenericAvroSerde(Schema readerSchema, SchemaRegistry registry) {
    super(new AvroFormat.Generic(readerSchema), registry);
  }
}
