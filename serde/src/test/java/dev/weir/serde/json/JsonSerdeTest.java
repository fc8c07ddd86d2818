package dev.weir.serde.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {
  record Order(String id, long cents, List<String> tags) {}

  /** A POJO with a no-argument constructor and setters. */
  public static class Sensor {
    private String name;
    private double celsius;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public double getCelsius() {
      return celsius;
    }

    public void setCelsius(double celsius) {
      this.celsius = celsius;
    }
  }

  @Test
  void recordsRoundTripAsPlainJson() {
    JsonSerde<Order> serde = JsonSerde.of(Order.class);
    byte[] b = serde.serializer().serialize("orders", new Order("o1", 250, List.of("a", "b")));

    assertThat(new String(b, StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":\"o1\",\"cents\":250,\"tags\":[\"a\",\"b\"]}");
    assertThat(serde.deserializer().deserialize("orders", b))
        .isEqualTo(new Order("o1", 250, List.of("a", "b")));
  }

  @Test
  void unknownFieldsAreIgnoredAndMissingOnesAreNull() {
    JsonSerde<Order> serde = JsonSerde.of(Order.class);
    byte[] newer = "{\"id\":\"o2\",\"cents\":1,\"tags\":[],\"added\":true}".getBytes();
    byte[] older = "{\"id\":\"o3\",\"cents\":2}".getBytes();

    assertThat(serde.deserializer().deserialize("orders", newer))
        .isEqualTo(new Order("o2", 1, List.of()));
    assertThat(serde.deserializer().deserialize("orders", older))
        .isEqualTo(new Order("o3", 2, null));
  }

  @Test
  void pojosAndGenericTypes() {
    JsonSerde<Sensor> pojo = JsonSerde.of(Sensor.class);
    Sensor s =
        pojo.deserializer().deserialize("t", "{\"name\":\"s1\",\"celsius\":-2.5}".getBytes());
    assertThat(s.getName() + " " + s.getCelsius()).isEqualTo("s1 -2.5");
    assertThat(new String(pojo.serializer().serialize("t", s), StandardCharsets.UTF_8))
        .isEqualTo("{\"name\":\"s1\",\"celsius\":-2.5}");

    JsonSerde<List<Order>> list = JsonSerde.of(new TypeReference<List<Order>>() {});
    byte[] b = list.serializer().serialize("t", List.of(new Order("a", 1, List.of())));
    assertThat(list.deserializer().deserialize("t", b))
        .containsExactly(new Order("a", 1, List.of()));
    assertThat(list.serializer().serialize("t", null)).isNull();
    assertThat(list.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void malformedJsonNamesTheTopicAndType() {
    assertThatThrownBy(
            () ->
                JsonSerde.of(Order.class)
                    .deserializer()
                    .deserialize("orders", "{\"id\":".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "Cannot read JSON of 6 bytes from 'orders' as [simple type, class dev.weir.serde.json.JsonSerdeTest$Order]: ");
  }
}
