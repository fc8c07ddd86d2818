package dev.weir.examples;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes for the examples' records: one line of UTF-8 text per record, so every topic of the
 * examples can be read with {@code kafka-console-consumer}. Real applications would use Avro, JSON
 * or Protobuf serdes instead; Weir only needs a Kafka {@link Serde}.
 */
public final class TextSerde {
  private TextSerde() {}

  /** Formats a record as one line of text. */
  @FunctionalInterface
  public interface Format<T> {
    /**
     * Formats a record.
     *
     * @param value the record, never null
     * @return its text
     */
    String format(T value);
  }

  /** Parses one line of text. */
  @FunctionalInterface
  public interface Parse<T> {
    /**
     * Parses a record.
     *
     * @param text the text, never null
     * @return the record
     * @throws IllegalArgumentException when the text is malformed
     */
    T parse(String text);
  }

  /**
   * Returns a serde that writes {@code format(value)} as UTF-8 and reads with {@code parse}; null
   * stays null both ways.
   *
   * @param format formats a record
   * @param parse parses a record; its exceptions fail the deserialization
   * @param <T> the record type
   * @return the serde
   */
  public static <T> Serde<T> of(Format<T> format, Parse<T> parse) {
    return Serdes.serdeFrom(
        (topic, value) ->
            value == null ? null : format.format(value).getBytes(StandardCharsets.UTF_8),
        (topic, bytes) ->
            bytes == null ? null : parse.parse(new String(bytes, StandardCharsets.UTF_8)));
  }
}
