package dev.weir.examples.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.math.BigDecimal;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FraudRulesTest {
  private WeirTestDriver driver;
  private TestInputTopic<String, Transaction> transactions;
  private TestInputTopic<String, String> rules;
  private TestOutputTopic<String, String> alerts;

  @BeforeEach
  void start() {
    driver = new WeirTestDriver(FraudRules.topology("transactions", "rules", "alerts"));
    transactions =
        driver.createInputTopic(
            "transactions", new StringSerializer(), Transaction.SERDE.serializer());
    rules = driver.createInputTopic("rules", new StringSerializer(), new StringSerializer());
    alerts = driver.createOutputTopic("alerts", new StringDeserializer(), new StringDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void pay(String account, String amount) {
    transactions.pipeInput(account, new Transaction(account, 0, new BigDecimal(amount)), 0);
  }

  @Test
  void rulesAddedReplacedAndRemovedWhileTransactionsFlow() {
    pay("acct-1", "900.00"); // no rule yet
    rules.pipeInput("large", "large,500", 0);
    pay("acct-1", "900.00");
    pay("acct-2", "100.00");
    rules.pipeInput("large", "large,1000", 0); // replaced
    rules.pipeInput("small", "small,50", 0);
    pay("acct-1", "900.00");
    pay("acct-2", "100.00");
    rules.pipeInput("small", "small,", 0); // removed
    pay("acct-2", "2000.00");
    assertThat(alerts.readValuesToList())
        .containsExactly(
            "acct-1: large: 900.00",
            "acct-1: small: 900.00",
            "acct-2: small: 100.00",
            "acct-2: large: 2000.00");
  }
}
