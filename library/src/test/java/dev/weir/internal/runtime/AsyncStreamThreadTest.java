package dev.weir.internal.runtime;

import static dev.weir.internal.runtime.ThreadHarness.COMMIT_INTERVAL_MS;
import static dev.weir.internal.runtime.ThreadHarness.IN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.functions.AsyncFunction;
import dev.weir.functions.ResultFuture;
import dev.weir.stream.AsyncDataStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/**
 * The stream thread with an async operator on Kafka's mock clients: a full operator pauses its
 * task's partition and keeps the rest of the poll, results are emitted by the thread, and the final
 * commit carries every result with its offset. The operator's input has no serde, so it has no
 * store and every commit waits for its requests (design record 015's fallback; the stored path is
 * {@code AsyncCommitProtocolTest} and {@code AsyncCrashIT}).
 */
class AsyncStreamThreadTest {
  /** Requests the test completes from its script steps (one step per poll). */
  static final List<String> REQUESTS = new ArrayList<>();

  static final List<ResultFuture<String>> FUTURES = new ArrayList<>();

  static final class Upper implements AsyncFunction<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void asyncInvoke(String input, ResultFuture<String> resultFuture) {
      synchronized (REQUESTS) {
        REQUESTS.add(input);
        FUTURES.add(resultFuture);
      }
    }
  }

  private static void complete(int i) {
    // From another thread, as a client would.
    Thread t = new Thread(() -> FUTURES.get(i).complete(List.of(REQUESTS.get(i).toUpperCase())));
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aFullOperatorPausesItsPartitionAndTheCommitCarriesEveryResult() {
    REQUESTS.clear();
    FUTURES.clear();
    ThreadHarness h =
        new ThreadHarness(
            true,
            5,
            // A map without .returns(serde): no serde, so no store, and commits drain (record 015).
            in -> AsyncDataStream.orderedWait(in.map(v -> v), new Upper(), 1, TimeUnit.HOURS, 2));
    List<Set<?>> pausedAtStep = new ArrayList<>();
    List<List<String>> requestsAtStep = new ArrayList<>();
    h.append("a", "b", "c", "d");
    h.script.add(h::assign);
    h.script.add(
        () -> {
          pausedAtStep.add(Set.copyOf(h.consumer.paused()));
          requestsAtStep.add(List.copyOf(REQUESTS));
          complete(0);
        });
    h.script.add(
        () -> {
          pausedAtStep.add(Set.copyOf(h.consumer.paused()));
          requestsAtStep.add(List.copyOf(REQUESTS));
          complete(1);
          complete(2);
        });
    h.script.add(
        () -> {
          requestsAtStep.add(List.copyOf(REQUESTS));
          complete(3);
        });
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));

    h.run();

    assertThat(h.failures).isEmpty();
    assertThat(pausedAtStep).containsExactly(Set.of(IN), Set.of(IN));
    assertThat(requestsAtStep)
        .containsExactly(List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "b", "c", "d"));
    assertThat(h.output()).containsExactly("A", "B", "C", "D");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(4, "")));
    assertThat(h.consumer.paused()).isEmpty();
    assertThat(h.thread.metrics().asyncInFlight.sum()).isZero();
  }
}
