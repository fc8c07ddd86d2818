package dev.weir.serde.avro;

import dev.weir.serde.registry.SchemaRegistries;
import dev.weir.serde.registry.SchemaRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values in the Confluent wire format: fetches the writer's schema by the id in the value
 * (once per id) and resolves it against the reader schema, so that values written with an older or
 * newer compatible schema read as the reader's type. Obtain it from an {@link AvroSerde}; configure
 * it (Weir does) before use. Thread-safe after configuration.
 *
 * @param <T> the value type
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
  private final AvroFormat<T> format;
  private volatile SchemaRegistry registry;

  /** Whether the registry was given at construction: configuration does not replace it then. */
  private final boolean registryGiven;

  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  AvroDeserializer(AvroFormat<T> format, SchemaRegistry registry) {
    this.format = format;
    this.registry = registry;
    this.registryGiven = registry != null;
  }

  /**
   * Reads the registry settings ({@link dev.weir.serde.registry.RegistryConfig}).
   *
   * @param configs the configuration
   * @param isKey unused: the value says its schema
   * @throws org.apache.kafka.common.config.ConfigException when the registry URL is missing
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (!registryGiven) {
      registry = SchemaRegistries.get(configs);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(topic, data);
    DatumReader<T> reader = readers.get(id);
    if (reader == null) {
      reader = reader(topic, id);
      readers.put(id, reader);
    }
    try {
      return reader.read(
          null,
          DecoderFactory.get()
              .binaryDecoder(
                  data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
    } catch (Exception e) {
      throw new SerializationException(
          "Cannot read an Avro value of schema id " + id + " from '" + topic + "': " + e, e);
    }
  }

  private DatumReader<T> reader(String topic, int id) {
    SchemaRegistry r = registry;
    if (r == null) {
      throw new SerializationException(
          "The Avro deserializer is not configured: Weir configures it with the application's"
              + " configuration (set schema.registry.url there); elsewhere call"
              + " configure(configs, isKey) first");
    }
    Schema writer = new Schema.Parser().parse(r.schemaById(id));
    Schema reader = format.readerSchema();
    if (reader != null) {
      StateSchemaCheck.Incompatibility why = StateSchemaCheck.incompatibility(reader, writer);
      if (why != null) {
        throw new SerializationException(
            "A value on '"
                + topic
                + "' was written with schema id "
                + id
                + " ("
                + writer.getFullName()
                + "), which the reader schema "
                + reader.getFullName()
                + " cannot read: "
                + why);
      }
    }
    return format.reader(writer, reader == null ? writer : reader);
  }
}
