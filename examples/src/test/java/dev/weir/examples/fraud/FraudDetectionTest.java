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

class FraudDetectionTest {
  private WeirTestDriver driver;
  private TestInputTopic<String, Transaction> transactions;
  private TestOutputTopic<String, String> alerts;

  @BeforeEach
  void start() {
    driver = new WeirTestDriver(FraudDetection.topology("transactions", "alerts"));
    transactions =
        driver.createInputTopic(
            "transactions", new StringSerializer(), Transaction.SERDE.serializer());
    alerts = driver.createOutputTopic("alerts", new StringDeserializer(), new StringDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void pipe(String account, long time, String amount) {
    transactions.pipeInput(account, new Transaction(account, time, new BigDecimal(amount)), time);
  }

  @Test
  void aSmallThenALargeTransactionWithinAMinuteRaisesAnAlert() {
    pipe("acct-1", 0, "0.50");
    pipe("acct-1", 30_000, "700.00");
    assertThat(alerts.readValuesToList())
        .containsExactly("acct-1: small transaction then 700.00 at 30000");
  }

  @Test
  void aLargeTransactionMoreThanAMinuteLaterDoesNot() {
    pipe("acct-2", 0, "0.50");
    pipe("acct-2", 60_001, "700.00");
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void onlyTheNextTransactionCounts() {
    pipe("acct-3", 0, "0.50");
    pipe("acct-3", 1_000, "20.00");
    pipe("acct-3", 2_000, "700.00");
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void theTimerForgetsTheSmallTransactionOnceTheWatermarkPassesOneMinute() {
    pipe("acct-4", 0, "0.50");
    pipe("acct-5", 70_000, "5.00"); // watermark 64_999: acct-4's timer at 60_000 fires
    pipe("acct-4", 59_000, "700.00"); // arrives late: the small transaction is forgotten
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void accountsAreIndependent() {
    pipe("acct-6", 0, "0.10");
    pipe("acct-7", 1_000, "900.00");
    pipe("acct-6", 2_000, "600.00");
    assertThat(alerts.readRecordsToList())
        .extracting(TestOutputTopic.TestRecord::key)
        .containsExactly("acct-6");
  }
}
