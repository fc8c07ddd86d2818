package dev.weir.examples.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.serde.avro.ReflectAvroSerde;
import dev.weir.serde.registry.InMemorySchemaRegistry;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PaymentTotalsTest {
  @AfterEach
  void dropRegistry() {
    InMemorySchemaRegistry.dropScope("payment-totals-test");
  }

  @Test
  void keepsATotalPerCustomerInAvroStateAndWritesJson() {
    // [docs:avro-test]
    // mock://NAME: an in-memory registry shared by everything configured with the same name.
    String registry = "mock://payment-totals-test";
    try (WeirTestDriver driver =
        new WeirTestDriver(
            PaymentTotals.topology("payments", "payment-totals"),
            PaymentTotals.config("payment-totals", registry))) {
      ReflectAvroSerde<Payment> payments = new ReflectAvroSerde<>(Payment.class);
      payments.configure(Map.of("schema.registry.url", registry), false);
      TestInputTopic<String, Payment> in =
          driver.createInputTopic("payments", new StringSerializer(), payments.serializer());
      TestOutputTopic<String, String> out =
          driver.createOutputTopic(
              "payment-totals", new StringDeserializer(), new StringDeserializer());

      in.pipeInput(new Payment("ada", 500));
      in.pipeInput(new Payment("bob", 120));
      in.pipeInput(new Payment("ada", 700));

      assertThat(out.readValuesToList())
          .containsExactly(
              "{\"customer\":\"ada\",\"payments\":1,\"cents\":500,\"largest\":500}",
              "{\"customer\":\"bob\",\"payments\":1,\"cents\":120,\"largest\":120}",
              "{\"customer\":\"ada\",\"payments\":2,\"cents\":1200,\"largest\":700}");
    }
    // [/docs:avro-test]
    InMemorySchemaRegistry r = InMemorySchemaRegistry.scope("payment-totals-test");
    assertThat(r.versions("payments-value")).containsExactly(1);
    assertThat(r.versions("payment-totals-totals-total-value")).containsExactly(1);
  }
}
