package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The stream threads' first producers, prepared while the instance sets up. */
class PreparedProducersTest {
  /** Producers for configurations {"id": n}; initTransactions as each one's script says. */
  private static final class Clients implements ProducerOnlyClients {
    final java.util.Map<Integer, MockProducer<byte[], byte[]>> made =
        new java.util.concurrent.ConcurrentHashMap<>();
    volatile RuntimeException initFailure;
    volatile CountDownLatch initBlocks;

    @Override
    public Producer<byte[], byte[]> producer(Map<String, Object> config) {
      MockProducer<byte[], byte[]> p =
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public void initTransactions() {
              CountDownLatch blocks = initBlocks;
              if (blocks != null) {
                try {
                  blocks.await(); // as a coordinator that does not answer
                } catch (InterruptedException e) {
                  throw new InterruptException(e);
                }
              }
              RuntimeException failure = initFailure;
              if (failure != null) {
                throw failure;
              }
              super.initTransactions();
            }
          };
      made.put((Integer) config.get("id"), p);
      return p;
    }
  }

  private static List<Map<String, Object>> configs(int n) {
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Map.of("id", i));
    }
    return out;
  }

  @Test
  void eachThreadTakesItsInitializedProducerOnce() {
    Clients clients = new Clients();
    PreparedProducers prepared = PreparedProducers.start(clients, configs(2), true, "prep");

    Producer<byte[], byte[]> second = prepared.take(1);
    Producer<byte[], byte[]> first = prepared.take(0);

    assertThat(first).isSameAs(clients.made.get(0));
    assertThat(second).isSameAs(clients.made.get(1));
    assertThat(clients.made.get(0).transactionInitialized()).isTrue();
    assertThat(clients.made.get(1).transactionInitialized()).isTrue();
    assertThat(prepared.take(0)).as("a replacement thread creates its own").isNull();
    assertThat(prepared.take(2)).as("no such thread").isNull();
    prepared.closeUnused();
    assertThat(clients.made.get(0).closed()).as("taken: the thread's to close").isFalse();
  }

  @Test
  void withoutTransactionsNothingIsInitialized() {
    Clients clients = new Clients();
    PreparedProducers prepared = PreparedProducers.start(clients, configs(1), false, "prep");
    assertThat(prepared.take(0)).isSameAs(clients.made.get(0));
    assertThat(clients.made.get(0).transactionInitialized()).isFalse();
  }

  @Test
  void aFailedInitializationIsThrownAsIsToTheThreadThatTakesIt() {
    Clients clients = new Clients();
    TransactionalIdAuthorizationException denied =
        new TransactionalIdAuthorizationException("not allowed");
    clients.initFailure = denied;
    PreparedProducers prepared = PreparedProducers.start(clients, configs(1), true, "prep");

    assertThatThrownBy(() -> prepared.take(0)).isSameAs(denied);
    assertThat(clients.made.get(0).closed()).isTrue();
  }

  @Test
  void producersNobodyTookAreClosed() {
    Clients clients = new Clients();
    PreparedProducers prepared = PreparedProducers.start(clients, configs(2), true, "prep");
    prepared.take(0);

    prepared.closeUnused();

    assertThat(clients.made.get(0).closed()).isFalse();
    // Thread 1 never started: its producer, prepared before or after the close, is closed.
    MockProducer<byte[], byte[]> unused = clients.made.get(1);
    assertThat(unused == null || unused.closed()).isTrue();
  }

  @Test
  void closingStopsAnInitializationThatWaitsForTheCluster() {
    Clients clients = new Clients();
    clients.initBlocks = new CountDownLatch(1);
    PreparedProducers prepared = PreparedProducers.start(clients, configs(1), true, "prep");

    prepared.closeUnused(); // interrupts the wait; the producer is closed on the way out

    assertThat(prepared.take(0)).as("closing: nothing to take").isNull();
    MockProducer<byte[], byte[]> made = clients.made.get(0);
    assertThat(made == null || made.closed()).isTrue();
  }
}
