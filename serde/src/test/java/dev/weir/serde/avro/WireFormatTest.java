package dev.weir.serde.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Golden bytes of the Confluent wire format, for each of Avro's data models. */
class WireFormatTest {
  /**
   * Payment{id="p1", amount=42} under schema id 0x01020304: magic 00, id 01 02 03 04 big-endian,
   * then Avro binary: the string's zig-zag length 2 (04), 'p' (70), '1' (31), the long 42 zig-zag
   * encoded as 84 (54).
   */
  private static final String GOLDEN = "0001020304" + "047031" + "54";

  @Test
  void specificRecordWritesTheGoldenBytes() {
    SpecificAvroSerde<Payment> serde =
        new SpecificAvroSerde<>(Payment.class, new FixedIdRegistry(0x01020304));
    serde.configure(Map.of(), false);

    byte[] bytes = serde.serializer().serialize("payments", new Payment("p1", 42));

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(GOLDEN);
    Payment back = serde.deserializer().deserialize("payments", bytes);
    assertThat(back.id()).isEqualTo("p1");
    assertThat(back.amount()).isEqualTo(42L);
  }

  @Test
  void genericRecordWritesTheGoldenBytes() {
    GenericAvroSerde serde = new GenericAvroSerde(null, new FixedIdRegistry(0x01020304));
    serde.configure(Map.of(), false);
    GenericRecord r = new GenericData.Record(Payment.SCHEMA$);
    r.put("id", "p1");
    r.put("amount", 42L);

    byte[] bytes = serde.serializer().serialize("payments", r);

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(GOLDEN);
    assertThat(serde.deserializer().deserialize("payments", bytes).toString())
        .isEqualTo("{\"id\": \"p1\", \"amount\": 42}");
  }

  /** A POJO for the reflect serde. */
  public static class Reading {
    public String sensor;
    public int celsius;

    public Reading() {}

    Reading(String sensor, int celsius) {
      this.sensor = sensor;
      this.celsius = celsius;
    }
  }

  @Test
  void reflectPojoWritesTheGoldenBytes() {
    ReflectAvroSerde<Reading> serde = new ReflectAvroSerde<>(Reading.class, new FixedIdRegistry(7));
    serde.configure(Map.of(), false);

    byte[] bytes = serde.serializer().serialize("readings", new Reading("s1", -3));

    // id 7; the fields in the order of the derived schema: int -3 zig-zag = 5 (05), "s1" = 04 73
    // 31.
    assertThat(ReflectDataOrder.fieldNames(Reading.class)).containsExactly("celsius", "sensor");
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0000000007" + "05" + "047331");
    Reading back = serde.deserializer().deserialize("readings", bytes);
    assertThat(back.sensor).isEqualTo("s1");
    assertThat(back.celsius).isEqualTo(-3);
  }

  /** The field order Avro's reflection gives a class. */
  static final class ReflectDataOrder {
    static java.util.List<String> fieldNames(Class<?> c) {
      return org.apache.avro.reflect.ReflectData.get().getSchema(c).getFields().stream()
          .map(org.apache.avro.Schema.Field::name)
          .toList();
    }
  }

  @Test
  void headerIsBigEndianForLargeIds() {
    byte[] b = new byte[5];
    WireFormat.writeHeader(b, 0x7f00ff01);
    assertThat(HexFormat.of().formatHex(b)).isEqualTo("007f00ff01");
    assertThat(WireFormat.schemaId("t", b)).isEqualTo(0x7f00ff01);
  }

  @Test
  void bytesNotInTheWireFormatAreRefusedWithTheReason() {
    GenericAvroSerde serde = new GenericAvroSerde(null, new FixedIdRegistry(1));
    serde.configure(Map.of(), false);

    assertThatThrownBy(() -> serde.deserializer().deserialize("orders", "{\"a\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "A value on 'orders' starts with byte 0x7b, not the wire format's magic byte 0x00: it"
                + " was not written by a schema-registry serializer (plain Avro or JSON?); read"
                + " that topic with the serde its producer used");
    assertThatThrownBy(() -> serde.deserializer().deserialize("orders", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("too short for the Confluent wire format");
  }
}
