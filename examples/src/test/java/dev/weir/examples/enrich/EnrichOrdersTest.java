package dev.weir.examples.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrichOrdersTest {
  private WeirTestDriver driver;
  private TestInputTopic<String, String> orders;
  private TestInputTopic<String, String> users;
  private TestOutputTopic<String, String> out;

  @BeforeEach
  void start() {
    driver = new WeirTestDriver(EnrichOrders.topology("orders", "users", "enriched"));
    orders = driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
    users = driver.createInputTopic("users", new StringSerializer(), new StringSerializer());
    out = driver.createOutputTopic("enriched", new StringDeserializer(), new StringDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void ordersAreEnrichedWithTheLatestUserRecord() {
    users.pipeInput("u1", "u1,Ann", 1_000);
    orders.pipeInput("o1", "o1,u1,book", 2_000);
    users.pipeInput("u1", "u1,Ann Smith", 3_000); // the latest value wins
    orders.pipeInput("o2", "o2,u1,pen", 4_000);
    assertThat(out.readValuesToList()).containsExactly("o1 book for Ann", "o2 pen for Ann Smith");
  }

  @Test
  void anEarlyOrderWaitsForItsUserOrGivesUp() {
    users.pipeInput("u0", "u0,Zoe", 0);
    orders.pipeInput("o1", "o1,u2,lamp", 1_000); // u2 unknown: waits until 11000
    users.pipeInput("u2", "u2,Bob", 5_000);
    orders.pipeInput("o2", "o2,u3,cup", 6_000); // u3 never comes
    users.pipeInput("u0", "u0,Zoe", 20_000);
    orders.pipeInput("o3", "o3,u0,mug", 20_000); // then the watermark passes u3's timer
    assertThat(out.readValuesToList())
        .containsExactly("o1 lamp for Bob", "o3 mug for Zoe", "o2 cup: unknown user u3");
  }

  @Test
  void aDeletedUserIsUnknownAgain() {
    users.pipeInput("u1", "u1,Ann", 0);
    users.pipeInput("u1", "u1,", 1_000);
    orders.pipeInput("o1", "o1,u1,book", 2_000);
    users.pipeInput("u1", "u1,Ann", 3_000);
    assertThat(out.readValuesToList()).containsExactly("o1 book for Ann");
  }
}
