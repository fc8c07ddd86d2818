package dev.weir.serde.avro;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a serializer names the registry subject a value's schema goes under. Set with {@value
 * AvroSerdeConfig#KEY_SUBJECT_NAME_STRATEGY} and {@value
 * AvroSerdeConfig#VALUE_SUBJECT_NAME_STRATEGY} to {@code topic}, {@code record} or {@code
 * topic-record} (Confluent's strategy class names are accepted too).
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} or {@code <topic>-value}: one schema (with its versions) per topic. */
  TOPIC,
  /** The record's full name: one subject per record type, whichever topic it is on. */
  RECORD,
  /** {@code <topic>-<record full name>}: several record types per topic, each evolving. */
  TOPIC_RECORD;

  /**
   * Names the subject.
   *
   * @param topic the topic
   * @param isKey whether the value is a record key
   * @param schema the value's schema
   * @return the subject
   * @throws org.apache.kafka.common.errors.SerializationException when a record strategy meets a
   *     schema that is not a record
   */
  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC -> topic + (isKey ? "-key" : "-value");
      case RECORD -> recordName(schema);
      case TOPIC_RECORD -> topic + "-" + recordName(schema);
    };
  }

  private String recordName(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new org.apache.kafka.common.errors.SerializationException(
          "The "
              + name().toLowerCase(Locale.ROOT)
              + " subject name strategy needs a record schema, but the value's schema is "
              + schema.getType()
              + ": use the topic strategy for this topic");
    }
    return schema.getFullName();
  }

  /**
   * Parses a configured strategy.
   *
   * @param key the configuration key, for the error
   * @param value {@code topic}, {@code record}, {@code topic-record}, or a Confluent class name
   * @return the strategy
   * @throws ConfigException for anything else
   */
  public static SubjectNameStrategy parse(String key, String value) {
    String v = value.trim();
    int dot = v.lastIndexOf('.');
    String simple = dot >= 0 ? v.substring(dot + 1) : v;
    return switch (simple.toLowerCase(Locale.ROOT)) {
      case "topic", "topicnamestrategy" -> TOPIC;
      case "record", "recordnamestrategy" -> RECORD;
      case "topic-record", "topic_record", "topicrecordnamestrategy" -> TOPIC_RECORD;
      default -> throw new ConfigException(key, value, "expected topic, record or topic-record");
    };
  }
}
