package dev.weir.examples.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.KafkaClientSupplier;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.testkit.KafkaCluster;
import dev.weir.testkit.WeirKafka;
import dev.weir.testkit.faults.Fault;
import dev.weir.testkit.faults.FaultInjector;
import dev.weir.testkit.faults.Injection;
import dev.weir.testkit.faults.Operation;
import dev.weir.testkit.faults.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETL example on a real broker with faults injected into its producers through the
 * client-supplier seam: a fenced commit, then a commit that succeeds but reports a timeout. The
 * output, read committed, still holds every order exactly once.
 */
@WeirKafka(brokers = 1)
class OrdersEtlFaultsIT {
  @TempDir Path stateDir;

  @Test
  void aFencedCommitAndACommitOfUnknownOutcomeLoseAndDuplicateNothing(KafkaCluster kafka)
      throws Exception {
    kafka.createTopic("faulty-orders", 2);
    kafka.createTopic("faulty-orders-eur", 2);
    OrdersEtlIT.awaitServed(kafka, List.of("faulty-orders", "faulty-orders-eur"));
    Properties config = OrdersEtl.config("orders-etl-faults-it", "faulty-orders-dlq");
    config.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
    List<String> orders = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      orders.add("o-" + i + ",c-" + (i % 7) + "," + (i + 1) + ".00,EUR");
      expected.add("o-" + i + ",c-" + (i % 7) + "," + (i + 1) + ".00");
    }

    // [docs:fault-injection]
    FaultInjector faults =
        FaultInjector.builder()
            // The first commit of the application: fenced, nothing committed.
            .on(Operation.COMMIT_TRANSACTION, Trigger.onCall(1).limit(1), Fault.fenced())
            // Once, the second commit of a producer: committed, but reported as a timeout.
            .on(Operation.COMMIT_TRANSACTION, Trigger.onCall(2).limit(1), Fault.unknownOutcome())
            .build();
    KafkaClientSupplier clients =
        KafkaClientSupplier.decorating(
            KafkaClientSupplier.defaults(), faults::producer, faults::consumer, faults::admin);
    try (WeirApplication app =
        new WeirApplication(
            OrdersEtl.topology("faulty-orders", "faulty-orders-eur"), config, clients)) {
      // [/docs:fault-injection]
      app.start();
      // In two halves, so that at least two transactions commit after the fenced one.
      OrdersEtlIT.produce(kafka, "faulty-orders", orders.subList(0, 100));
      assertThat(OrdersEtlIT.readCommitted(kafka, "faulty-orders-eur", 100, "first-half"))
          .hasSize(100);
      OrdersEtlIT.produce(kafka, "faulty-orders", orders.subList(100, 200));
      List<ConsumerRecord<String, String>> converted =
          OrdersEtlIT.readCommitted(kafka, "faulty-orders-eur", 200, "all");

      assertThat(converted)
          .extracting(ConsumerRecord::value)
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(faults.injected())
          .extracting(Injection::fault)
          .containsExactly("fenced", "unknown-outcome");
    }
  }
}
