package dev.weir.serde.avro;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.reflect.ReflectData;
import org.apache.avro.reflect.ReflectDatumReader;
import org.apache.avro.reflect.ReflectDatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;

/**
 * One of Avro's data models (generic, specific, reflect): how to find a value's schema, the schema
 * to read with, and the datum readers and writers. Immutable and thread-safe.
 *
 * @param <T> the value type
 */
abstract class AvroFormat<T> {
  /** The schema this side reads with, or null to read with the writer's schema. */
  abstract Schema readerSchema();

  abstract Schema schemaOf(T value);

  abstract DatumWriter<T> writer(Schema schema);

  abstract DatumReader<T> reader(Schema writer, Schema reader);

  /** Builds a value of {@code schema} from a generic record of the same schema. */
  abstract GenericData data();

  static final class Generic extends AvroFormat<GenericRecord> {
    private final Schema reader;

    Generic(Schema reader) {
      this.reader = reader;
    }

    @Override
    Schema readerSchema() {
      return reader;
    }

    @Override
    Schema schemaOf(GenericRecord value) {
      return value.getSchema();
    }

    @Override
    DatumWriter<GenericRecord> writer(Schema schema) {
      return new GenericDatumWriter<>(schema, GenericData.get());
    }

    @Override
    DatumReader<GenericRecord> reader(Schema writer, Schema reader) {
      return new GenericDatumReader<>(writer, reader, GenericData.get());
    }

    @Override
    GenericData data() {
      return GenericData.get();
    }
  }

  /** A model bound to one class: its schema is the class's, whatever the value. */
  private abstract static class ClassBound<T, D extends GenericData> extends AvroFormat<T> {
    final D data;
    private final Schema schema;

    ClassBound(D data, Schema schema) {
      this.data = data;
      this.schema = schema;
    }

    @Override
    final Schema readerSchema() {
      return schema;
    }

    @Override
    final Schema schemaOf(T value) {
      return schema;
    }

    @Override
    final GenericData data() {
      return data;
    }
  }

  static final class Specific<T> extends ClassBound<T, SpecificData> {
    Specific(Class<T> type) {
      super(SpecificData.getForClass(type), specificSchema(type));
    }

    private static Schema specificSchema(Class<?> type) {
      Schema schema = SpecificData.getForClass(type).getSchema(type);
      if (schema.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException(
            type.getName() + " is not an Avro specific record class (no record SCHEMA$)");
      }
      return schema;
    }

    @Override
    DatumWriter<T> writer(Schema s) {
      return new SpecificDatumWriter<>(s, data);
    }

    @Override
    DatumReader<T> reader(Schema writer, Schema reader) {
      return new SpecificDatumReader<>(writer, reader, data);
    }
  }

  static final class Reflect<T> extends ClassBound<T, ReflectData> {
    Reflect(Class<T> type) {
      this(new ReflectData(type.getClassLoader()), type);
    }

    private Reflect(ReflectData data, Class<T> type) {
      super(data, reflectSchema(data, type));
    }

    private static Schema reflectSchema(ReflectData data, Class<?> type) {
      try {
        return data.getSchema(type);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "Avro cannot derive a schema from " + type.getName() + ": " + e.getMessage(), e);
      }
    }

    @Override
    DatumWriter<T> writer(Schema s) {
      return new ReflectDatumWriter<>(s, data);
    }

    @Override
    DatumReader<T> reader(Schema writer, Schema reader) {
      return new ReflectDatumReader<>(writer, reader, data);
    }
  }

  static SerializationException wrongType(Object value, String expected) {
    return new SerializationException(
        "The Avro serde got a " + value.getClass().getName() + "; it writes " + expected);
  }
}
