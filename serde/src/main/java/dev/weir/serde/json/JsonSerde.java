package dev.weir.serde.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Values as UTF-8 JSON with Jackson: Java records, POJOs, collections, {@code JsonNode}. Plain
 * JSON, no schema id: a field added later reads as null (or the record component's default) from
 * old values, and unknown fields are ignored so that older readers read newer values. Thread-safe.
 *
 * <pre>{@code
 * Serde<Order> orders = JsonSerde.of(Order.class);
 * Serde<List<Order>> batches = JsonSerde.of(new TypeReference<List<Order>>() {});
 * }</pre>
 *
 * @param <T> the value type
 */
public final class JsonSerde<T> implements Serde<T> {
  private final JavaType type;
  private final ObjectWriter writer;
  private final ObjectReader reader;

  private JsonSerde(ObjectMapper mapper, JavaType type) {
    this.type = type;
    this.writer = mapper.writerFor(type);
    this.reader = mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * A serde for a class, with a default {@link ObjectMapper} (modules found on the class path).
   *
   * @param type the class; not null
   * @param <T> the value type
   * @return the serde
   */
  public static <T> JsonSerde<T> of(Class<T> type) {
    return of(type, defaultMapper());
  }

  /**
   * A serde for a generic type.
   *
   * @param type the type, e.g. {@code new TypeReference<List<Order>>() {}}; not null
   * @param <T> the value type
   * @return the serde
   */
  public static <T> JsonSerde<T> of(TypeReference<T> type) {
    ObjectMapper m = defaultMapper();
    return new JsonSerde<>(m, m.getTypeFactory().constructType(Objects.requireNonNull(type)));
  }

  /**
   * A serde with a mapper of your own (naming, date formats, modules).
   *
   * @param type the class; not null
   * @param mapper the mapper; not null, not changed afterwards
   * @param <T> the value type
   * @return the serde
   */
  public static <T> JsonSerde<T> of(Class<T> type, ObjectMapper mapper) {
    return new JsonSerde<>(mapper, mapper.constructType(Objects.requireNonNull(type, "type")));
  }

  private static ObjectMapper defaultMapper() {
    return new ObjectMapper().findAndRegisterModules();
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return writer.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new SerializationException(
            "Cannot write a " + value.getClass().getName() + " as JSON for '" + topic + "': " + e,
            e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      try {
        return reader.readValue(data);
      } catch (IOException e) {
        throw new SerializationException(
            "Cannot read JSON of "
                + data.length
                + " bytes from '"
                + topic
                + "' as "
                + type
                + ": "
                + e.getMessage(),
            e);
      }
    };
  }
}
