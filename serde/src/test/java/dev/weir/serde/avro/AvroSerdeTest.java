package dev.weir.serde.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.serde.registry.InMemorySchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Subject naming, auto-registration, latest version and schema evolution of the Avro serdes. */
class AvroSerdeTest {
  private static final String SCOPE = "avro-serde-test";

  private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(SCOPE);

  @AfterEach
  void drop() {
    InMemorySchemaRegistry.dropScope(SCOPE);
  }

  private static Map<String, Object> config(Object... kv) {
    Map<String, Object> c = new HashMap<>();
    c.put("schema.registry.url", "mock://" + SCOPE);
    for (int i = 0; i < kv.length; i += 2) {
      c.put((String) kv[i], kv[i + 1]);
    }
    return c;
  }

  private static GenericRecord record(Schema s, Object... kv) {
    GenericRecord r = new GenericData.Record(s);
    for (int i = 0; i < kv.length; i += 2) {
      r.put((String) kv[i], kv[i + 1]);
    }
    return r;
  }

  @Test
  void subjectNamingStrategies() {
    SpecificAvroSerde<Payment> topic = new SpecificAvroSerde<>(Payment.class);
    topic.configure(config(), false);
    topic.serializer().serialize("payments", new Payment("a", 1));
    SpecificAvroSerde<Payment> key = new SpecificAvroSerde<>(Payment.class);
    key.configure(config(), true);
    key.serializer().serialize("payments", new Payment("a", 1));
    SpecificAvroSerde<Payment> record = new SpecificAvroSerde<>(Payment.class);
    record.configure(config("value.subject.name.strategy", "record"), false);
    record.serializer().serialize("payments", new Payment("a", 1));
    SpecificAvroSerde<Payment> topicRecord = new SpecificAvroSerde<>(Payment.class);
    topicRecord.configure(
        config(
            "value.subject.name.strategy",
            "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"),
        false);
    topicRecord.serializer().serialize("payments", new Payment("a", 1));

    for (String s :
        new String[] {
          "payments-value",
          "payments-key",
          "dev.weir.serde.avro.Payment",
          "payments-dev.weir.serde.avro.Payment"
        }) {
      assertThat(registry.versions(s)).as(s).containsExactly(1);
    }
    assertThatThrownBy(
            () ->
                new SpecificAvroSerde<>(Payment.class)
                    .configure(config("key.subject.name.strategy", "daily"), true))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value daily for configuration key.subject.name.strategy: expected topic,"
                + " record or topic-record");
  }

  @Test
  void withoutAutoRegistrationTheSchemaMustBeThere() {
    SpecificAvroSerde<Payment> serde = new SpecificAvroSerde<>(Payment.class);
    serde.configure(config("auto.register.schemas", "false"), false);
    assertThatThrownBy(() -> serde.serializer().serialize("payments", new Payment("a", 1)))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "Schema dev.weir.serde.avro.Payment is not registered under subject 'payments-value'"
                + " and auto.register.schemas=false: register it (or set use.latest.version=true"
                + " to write with the latest schema)");

    int id = registry.register("payments-value", Payment.SCHEMA$.toString());
    byte[] b = serde.serializer().serialize("payments", new Payment("a", 1));
    assertThat(WireFormat.schemaId("payments", b)).isEqualTo(id);
    assertThat(registry.versions("payments-value")).containsExactly(1);
  }

  @Test
  void useLatestVersionWritesWithTheLatestSchema() {
    registry.register("payments-value", Schemas.PAYMENT_V1.toString());
    int latest = registry.register("payments-value", Schemas.PAYMENT_V2.toString());
    SpecificAvroSerde<Payment> serde = new SpecificAvroSerde<>(Payment.class);
    serde.configure(config("auto.register.schemas", false, "use.latest.version", true), false);

    byte[] b = serde.serializer().serialize("payments", new Payment("a", 5));

    assertThat(WireFormat.schemaId("payments", b)).isEqualTo(latest);
    GenericAvroSerde reader = new GenericAvroSerde();
    reader.configure(config(), false);
    assertThat(reader.deserializer().deserialize("payments", b).toString())
        .isEqualTo("{\"id\": \"a\", \"amount\": 5, \"currency\": \"EUR\"}");
    // The value's own class still reads it (the extra field is skipped).
    assertThat(serde.deserializer().deserialize("payments", b).amount()).isEqualTo(5L);
  }

  @Test
  void oldValuesReadWithANewerReaderSchema() {
    GenericAvroSerde v1 = new GenericAvroSerde();
    v1.configure(config(), false);
    byte[] old =
        v1.serializer().serialize("p", record(Schemas.PAYMENT_V1, "id", "x", "amount", 3L));

    GenericAvroSerde v2 = new GenericAvroSerde(Schemas.PAYMENT_V2);
    v2.configure(config(), false);
    assertThat(v2.deserializer().deserialize("p", old).toString())
        .isEqualTo("{\"id\": \"x\", \"amount\": 3, \"currency\": \"EUR\"}");

    GenericAvroSerde dropped = new GenericAvroSerde(Schemas.PAYMENT_DROPPED);
    dropped.configure(config(), false);
    assertThat(dropped.deserializer().deserialize("p", old).toString())
        .isEqualTo("{\"id\": \"x\"}");

    GenericAvroSerde noDefault = new GenericAvroSerde(Schemas.PAYMENT_NO_DEFAULT);
    noDefault.configure(config(), false);
    assertThatThrownBy(() -> noDefault.deserializer().deserialize("p", old))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "A value on 'p' was written with schema id 1 (dev.weir.serde.avro.Payment), which the"
                + " reader schema dev.weir.serde.avro.Payment cannot read:"
                + " READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2");
  }

  @Test
  void anUnconfiguredSerdeSaysSo() {
    assertThatThrownBy(
            () ->
                new SpecificAvroSerde<>(Payment.class)
                    .serializer()
                    .serialize("t", new Payment("a", 1)))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("The Avro serializer is not configured");
  }
}
