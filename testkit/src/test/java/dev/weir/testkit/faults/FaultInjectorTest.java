package dev.weir.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The wrappers against Kafka's in-memory {@code MockProducer} and {@code MockConsumer} (fakes, not
 * protocol mocks).
 */
class FaultInjectorTest {
  private static MockProducer<String, String> mockProducer() {
    return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
  }

  @SuppressWarnings("removal") // a group's metadata normally comes from a consumer; any will do
  private static ConsumerGroupMetadata group() {
    return new ConsumerGroupMetadata("g", 1, "m", Optional.empty());
  }

  /** One transaction: a record, offsets, commit. Returns the exception it ended with, or null. */
  private static Class<?> transaction(Producer<String, String> p) {
    try {
      p.beginTransaction();
      p.send(new ProducerRecord<>("out", "v"));
      p.sendOffsetsToTransaction(
          Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(1)), group());
      p.commitTransaction();
      return null;
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  @Test
  void failsTheNthCommitOfEachProducerAndRecordsIt() {
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.COMMIT_TRANSACTION, Trigger.onCall(2), Fault.fenced())
            .build();
    MockProducer<String, String> real = mockProducer();
    Producer<String, String> p = faults.producer(real);
    p.initTransactions();

    List<Class<?>> outcomes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      outcomes.add(transaction(p));
      if (outcomes.get(i) != null) {
        p.abortTransaction();
      }
    }

    assertThat(outcomes).containsExactly(null, ProducerFencedException.class, null);
    assertThat(real.commitCount()).isEqualTo(2);
    assertThat(faults.injected())
        .containsExactly(new Injection("producer#1", Operation.COMMIT_TRANSACTION, 2, "fenced"));
  }

  @Test
  void unknownOutcomeCommitsAndThenThrows() {
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.COMMIT_TRANSACTION, Trigger.always(), Fault.unknownOutcome())
            .build();
    MockProducer<String, String> real = mockProducer();
    Producer<String, String> p = faults.producer(real);
    p.initTransactions();

    assertThat(transaction(p)).isEqualTo(TimeoutException.class);
    assertThat(real.commitCount()).isEqualTo(1);
    assertThat(real.history()).hasSize(1);
  }

  @Test
  void refusedAbortLeavesTheTransactionOpen() {
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.COMMIT_TRANSACTION, Trigger.onCall(1), Fault.timeout())
            .on(Operation.ABORT_TRANSACTION, Trigger.onCall(1), Fault.abortRefused())
            .build();
    MockProducer<String, String> real = mockProducer();
    Producer<String, String> p = faults.producer(real);
    p.initTransactions();

    assertThat(transaction(p)).isEqualTo(TimeoutException.class);
    assertThatThrownBy(p::abortTransaction).isInstanceOf(IllegalStateException.class);
    assertThat(real.transactionAborted()).isFalse();
    p.commitTransaction(); // the retry the refusal asks for
    assertThat(real.commitCount()).isEqualTo(1);
    assertThat(faults.injected())
        .extracting(Injection::fault)
        .containsExactly("timeout", "abort-refused");
  }

  @Test
  void failedSendReachesCallbackAndFutureAndNotTheRealProducer() throws Exception {
    FaultInjector faults =
        FaultInjector.builder()
            .on(
                Operation.SEND,
                Trigger.onCalls(2),
                Fault.sendFails(() -> new RecordTooLargeException("too large")))
            .build();
    MockProducer<String, String> real = mockProducer();
    Producer<String, String> p = faults.producer(real);
    AtomicReference<Exception> seen = new AtomicReference<>();

    p.send(new ProducerRecord<>("out", "a"));
    Future<RecordMetadata> failed =
        p.send(new ProducerRecord<>("out", 3, "k", "b"), (md, e) -> seen.set(e));
    p.send(new ProducerRecord<>("out", "c"));

    assertThat(seen.get()).isInstanceOf(RecordTooLargeException.class);
    assertThatThrownBy(failed::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RecordTooLargeException.class);
    assertThat(real.history()).extracting(ProducerRecord::value).containsExactly("a", "c");
  }

  @Test
  void sendFailsIsOnlyForSend() {
    assertThatThrownBy(
            () ->
                FaultInjector.builder()
                    .on(
                        Operation.COMMIT_TRANSACTION,
                        Trigger.always(),
                        Fault.sendFails(() -> new RecordTooLargeException("x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("producer.send only, not producer.commitTransaction");
  }

  @Test
  void actionsSeeWhatTheTransactionHeldBeforeTheCall() {
    List<String> seen = new ArrayList<>();
    FaultInjector faults =
        FaultInjector.builder()
            .on(
                Operation.COMMIT_TRANSACTION,
                Trigger.always(),
                Fault.runningAfterCall(
                    c -> seen.add(c.sentSinceCommit() + " " + c.topicsSinceCommit())))
            .build();
    Producer<String, String> p = faults.producer(mockProducer());
    p.initTransactions();
    transaction(p);
    p.beginTransaction();
    p.commitTransaction();

    assertThat(seen).containsExactly("1 [out]", "0 []");
    assertThat(faults.injected()).as("actions are not injections").isEmpty();
  }

  @Test
  void theSameSeedDrawsTheSameFaults() {
    assertThat(failedCommits(7)).isEqualTo(failedCommits(7)).isNotEqualTo(failedCommits(8));
  }

  private static List<Long> failedCommits(long seed) {
    FaultInjector faults =
        FaultInjector.builder()
            .seed(seed)
            .on(Operation.COMMIT_TRANSACTION, Trigger.withProbability(0.3), Fault.timeout())
            .build();
    Producer<String, String> p = faults.producer(mockProducer());
    p.initTransactions();
    for (int i = 0; i < 100; i++) {
      if (transaction(p) != null) {
        p.abortTransaction();
      }
    }
    return faults.injected().stream().map(Injection::call).toList();
  }

  @Test
  void limitCountsAcrossClients() {
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.COMMIT_TRANSACTION, Trigger.onCall(1).limit(1), Fault.fenced())
            .build();
    Producer<String, String> first = faults.producer(mockProducer());
    Producer<String, String> second = faults.producer(mockProducer());
    first.initTransactions();
    second.initTransactions();

    assertThat(transaction(first)).isEqualTo(ProducerFencedException.class);
    assertThat(transaction(second)).isNull();
  }

  @Test
  void consumerFaults() {
    CountDownLatch released = new CountDownLatch(0);
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.POLL, Trigger.onCall(1), Fault.freezingUntil(released))
            .on(Operation.POLL, Trigger.onCall(2), Fault.freezing(Duration.ZERO))
            .on(Operation.COMMIT_SYNC, Trigger.onCall(1), Fault.commitFailed())
            .build();
    MockConsumer<String, String> real = new MockConsumer<>("earliest");
    Consumer<String, String> c = faults.consumer(real);
    c.assign(Set.of(new TopicPartition("in", 0)));
    real.updateBeginningOffsets(Map.of(new TopicPartition("in", 0), 0L));

    assertThat(c.poll(Duration.ZERO).isEmpty()).isTrue();
    assertThat(c.poll(Duration.ZERO).isEmpty()).isTrue();
    assertThatThrownBy(c::commitSync).isInstanceOf(CommitFailedException.class);
    c.commitSync();
    assertThat(faults.injected())
        .extracting(Injection::toString)
        .containsExactly(
            "freeze until released at consumer.poll #1 on consumer#1",
            "freeze for 0 ms at consumer.poll #2 on consumer#1",
            "commit-failed at consumer.commitSync #1 on consumer#1");
  }

  @Test
  void anInterruptEndsAFreezeAsAKafkaClientWould() {
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.POLL, Trigger.always(), Fault.freezingUntil(new CountDownLatch(1)))
            .build();
    Consumer<String, String> c = faults.consumer(new MockConsumer<>("earliest"));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> c.poll(Duration.ZERO)).isInstanceOf(InterruptException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void adminCallsFailInTheCallItself() {
    List<String> calls = new ArrayList<>();
    Admin fake =
        (Admin)
            Proxy.newProxyInstance(
                Admin.class.getClassLoader(),
                new Class<?>[] {Admin.class},
                (proxy, method, args) -> {
                  calls.add(method.getName());
                  return null;
                });
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.admin("listTopics"), Trigger.onCall(1), Fault.timeout())
            .build();
    Admin admin = faults.admin(fake);

    assertThatThrownBy(admin::listTopics).isInstanceOf(TimeoutException.class);
    admin.listTopics();
    admin.close();
    // metrics: the wrapper reads the client id for the client's name.
    assertThat(calls).containsExactly("metrics", "listTopics", "close");
  }

  @Test
  void unknownMethodNamesAreRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> Operation.producer("commit"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Producer has no method 'commit'")
        .hasMessageContaining("commitTransaction");
  }
}
