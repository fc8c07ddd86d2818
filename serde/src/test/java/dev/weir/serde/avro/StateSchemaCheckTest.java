package dev.weir.serde.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.serde.registry.InMemorySchemaRegistry;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How an Avro serde configured for a Weir state checks and evolves the state's schema. */
class StateSchemaCheckTest {
  private static final String SCOPE = "state-check-test";
  private static final String TOPIC = "app-count-store-totals";

  private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(SCOPE);

  @AfterEach
  void drop() {
    InMemorySchemaRegistry.dropScope(SCOPE);
  }

  private static Map<String, Object> stateConfig() {
    return Map.of(
        "schema.registry.url",
        "mock://" + SCOPE,
        "value.subject.name.strategy",
        "record",
        AvroSerdeConfig.WEIR_STATE_TOPIC,
        TOPIC,
        AvroSerdeConfig.WEIR_STATE_DESCRIPTION,
        "state 'totals' of operator 'count'");
  }

  private static GenericRecord v1(String id, long amount) {
    GenericRecord r = new GenericData.Record(Schemas.PAYMENT_V1);
    r.put("id", id);
    r.put("amount", amount);
    return r;
  }

  @Test
  void aStateWritesUnderItsOwnSubjectWhateverTheStrategy() {
    GenericAvroSerde serde = new GenericAvroSerde(Schemas.PAYMENT_V1);
    serde.configure(stateConfig(), false);

    byte[] b = serde.serializer().serialize(TOPIC, v1("a", 1));

    assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
    assertThat(registry.versions("dev.weir.serde.avro.Payment")).isEmpty();
    assertThat(WireFormat.schemaId(TOPIC, b)).isEqualTo(1);
  }

  @Test
  void aCompatibleChangeRegistersTheNewSchemaAndReadsOldState() {
    GenericAvroSerde before = new GenericAvroSerde(Schemas.PAYMENT_V1);
    before.configure(stateConfig(), false);
    byte[] old = before.serializer().serialize(TOPIC, v1("a", 7));

    GenericAvroSerde after = new GenericAvroSerde(Schemas.PAYMENT_V2);
    after.configure(stateConfig(), false);

    assertThat(registry.versions(TOPIC + "-value")).containsExactly(1, 2);
    assertThat(after.deserializer().deserialize(TOPIC, old).toString())
        .isEqualTo("{\"id\": \"a\", \"amount\": 7, \"currency\": \"EUR\"}");

    GenericAvroSerde dropped = new GenericAvroSerde(Schemas.PAYMENT_DROPPED);
    dropped.configure(stateConfig(), false);
    assertThat(registry.versions(TOPIC + "-value")).containsExactly(1, 2, 3);
  }

  @Test
  void anIncompatibleChangeFailsAtConfigureNamingTheStateAndTheChange() {
    new GenericAvroSerde(Schemas.PAYMENT_V1).configure(stateConfig(), false);

    assertThatThrownBy(
            () -> new GenericAvroSerde(Schemas.PAYMENT_NO_DEFAULT).configure(stateConfig(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "The schema of state 'totals' of operator 'count' changed incompatibly:"
                + " dev.weir.serde.avro.Payment as now declared cannot read the state stored with"
                + " version 1 (schema id 1) of subject 'app-count-store-totals-value':"
                + " READER_FIELD_MISSING_DEFAULT_VALUE at /fields/2: currency. Give a new field a"
                + " default, keep removed fields' types, or give the state a new name to start it"
                + " empty");
    assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
  }

  @Test
  void aKeySerdeOfAMapStateUsesTheKeySubject() {
    new SpecificAvroSerde<>(Payment.class).configure(stateConfig(), true);
    assertThat(registry.versions(TOPIC + "-key")).containsExactly(1);
  }
}
