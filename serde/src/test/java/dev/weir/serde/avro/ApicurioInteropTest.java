package dev.weir.serde.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.serde.registry.InMemorySchemaRegistry;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes written by Apicurio's Avro serde in its Confluent-compatible mode (4-byte id, no headers)
 * are read by Weir's, and the other way round, byte for byte the same.
 */
class ApicurioInteropTest {
  private final Map<String, Object> weirConfig =
      Map.of("schema.registry.url", "mock://" + ApicurioResolver.SCOPE);

  @BeforeEach
  @AfterEach
  void freshRegistry() {
    InMemorySchemaRegistry.dropScope(ApicurioResolver.SCOPE);
  }

  private static Map<String, Object> apicurioConfig(boolean specific) {
    Map<String, Object> c = new HashMap<>();
    c.put(SerdeConfig.REGISTRY_URL, "http://localhost:1/unused");
    c.put(SerdeConfig.SCHEMA_RESOLVER, ApicurioResolver.class.getName());
    c.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
    c.put(SerdeConfig.ENABLE_HEADERS, false);
    c.put(SerdeConfig.USE_ID, "contentId");
    c.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, specific);
    return c;
  }

  private static GenericRecord payment(String id, long amount) {
    GenericRecord r = new GenericData.Record(Payment.SCHEMA$);
    r.put("id", id);
    r.put("amount", amount);
    return r;
  }

  @Test
  void weirReadsWhatApicurioWrites() {
    byte[] bytes;
    try (AvroKafkaSerializer<GenericRecord> apicurio = new AvroKafkaSerializer<>()) {
      apicurio.configure(apicurioConfig(false), false);
      bytes = apicurio.serialize("payments", payment("p1", 42));
    }
    int id =
        InMemorySchemaRegistry.scope(ApicurioResolver.SCOPE)
            .lookup("payments-value", Payment.SCHEMA$.toString())
            .orElseThrow()
            .id();
    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo(String.format("00%08x", id) + "047031" + "54");

    SpecificAvroSerde<Payment> specific = new SpecificAvroSerde<>(Payment.class);
    specific.configure(weirConfig, false);
    Payment p = specific.deserializer().deserialize("payments", bytes);
    assertThat(p.id() + "/" + p.amount()).isEqualTo("p1/42");

    GenericAvroSerde generic = new GenericAvroSerde();
    generic.configure(weirConfig, false);
    assertThat(generic.deserializer().deserialize("payments", bytes).toString())
        .isEqualTo("{\"id\": \"p1\", \"amount\": 42}");
  }

  @Test
  void apicurioReadsWhatWeirWrites() {
    SpecificAvroSerde<Payment> weir = new SpecificAvroSerde<>(Payment.class);
    weir.configure(weirConfig, false);
    byte[] specificBytes = weir.serializer().serialize("payments", new Payment("p2", -7));
    GenericAvroSerde generic = new GenericAvroSerde();
    generic.configure(weirConfig, false);
    byte[] genericBytes = generic.serializer().serialize("payments", payment("p3", 1_000_000));

    try (AvroKafkaDeserializer<Object> apicurio = new AvroKafkaDeserializer<>()) {
      apicurio.configure(apicurioConfig(false), false);
      assertThat(apicurio.deserialize("payments", specificBytes).toString())
          .isEqualTo("{\"id\": \"p2\", \"amount\": -7}");
      assertThat(apicurio.deserialize("payments", genericBytes).toString())
          .isEqualTo("{\"id\": \"p3\", \"amount\": 1000000}");
    }
    try (AvroKafkaDeserializer<Payment> apicurio = new AvroKafkaDeserializer<>()) {
      apicurio.configure(apicurioConfig(true), false);
      Payment p = apicurio.deserialize("payments", specificBytes);
      assertThat(p.id() + "/" + p.amount()).isEqualTo("p2/-7");
    }
  }

  @Test
  void bothWriteTheSameBytes() {
    SpecificAvroSerde<Payment> weir = new SpecificAvroSerde<>(Payment.class);
    weir.configure(weirConfig, false);
    byte[] ours = weir.serializer().serialize("payments", new Payment("same", 123_456_789L));
    byte[] theirs;
    try (AvroKafkaSerializer<Payment> apicurio = new AvroKafkaSerializer<>()) {
      apicurio.configure(apicurioConfig(true), false);
      theirs = apicurio.serialize("payments", new Payment("same", 123_456_789L));
    }
    assertThat(HexFormat.of().formatHex(theirs)).isEqualTo(HexFormat.of().formatHex(ours));
  }
}
