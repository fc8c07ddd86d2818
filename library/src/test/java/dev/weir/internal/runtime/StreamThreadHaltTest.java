package dev.weir.internal.runtime;

import static dev.weir.internal.runtime.ThreadHarness.COMMIT_INTERVAL_MS;
import static dev.weir.internal.runtime.ThreadHarness.IN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamThread#halt()} (behind {@code WeirApplication.simulateCrash}) on Kafka's mock
 * clients: the thread stops after the record in hand, as a killed process would, and neither
 * commits nor aborts, even when the commit interval passed while the record was processed.
 */
class StreamThreadHaltTest {
  /** The thread the operator halts while it processes "b", as a crashing test would. */
  static volatile StreamThread toHalt;

  /** Every value the operator saw, in order. */
  static final List<String> PROCESSED = new CopyOnWriteArrayList<>();

  @Test
  void aHaltedThreadStopsAfterTheRecordInHandAndCommitsNothingMore() {
    PROCESSED.clear();
    ThreadHarness h =
        new ThreadHarness(
            true,
            5,
            in ->
                in.map(
                    v -> {
                      PROCESSED.add(v);
                      if (v.equals("b")) {
                        toHalt.halt();
                      }
                      return v.toUpperCase();
                    }));
    toHalt = h.thread;
    h.append("a");
    h.script.add(h::assign);
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS)); // commits "A" and offset 1
    h.script.add(
        () -> {
          h.append("b", "c", "d");
          // The next commit is due right after this poll's records: the halt must prevent it.
          h.clock.advance(COMMIT_INTERVAL_MS);
        });

    h.run();

    assertThat(PROCESSED).containsExactly("a", "b");
    assertThat(h.output()).containsExactly("A");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(1, "")));
    ThreadHarness.FakeProducer producer = h.producers.get(0);
    assertThat(h.producers).hasSize(1);
    // The transaction holding "B" stays open: neither committed nor aborted, as after kill -9.
    assertThat(producer.transactionInFlight()).isTrue();
    assertThat(producer.uncommittedRecords())
        .extracting(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("B");
    assertThat(producer.aborts).isZero();
    assertThat(producer.closed()).isTrue();
    assertThat(h.consumer.closed()).isTrue();
    assertThat(h.thread.metrics().commits.sum()).isEqualTo(1);
    assertThat(h.events)
        .containsExactly("STARTING", "PARTITIONS_ASSIGNED", "RUNNING", "PENDING_SHUTDOWN", "DEAD");
    assertThat(h.failures).isEmpty();
  }
}
