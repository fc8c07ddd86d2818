package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos rules on the testkit's fault injector, against Kafka's in-memory {@code MockProducer}
 * (a fake, not a protocol mock).
 */
class ChaosFaultsTest {
  @TempDir Path dir;

  private static MockProducer<byte[], byte[]> mock() {
    return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private Producer<byte[], byte[]> faulty(
      MockProducer<byte[], byte[]> delegate, double rate, long seed) {
    return ChaosFaults.injector(new CrashSwitch(dir.resolve("switch")), rate, seed)
        .producer(delegate);
  }

  /** One transaction: a record, offsets, commit. Returns the fault that surfaced, or null. */
  @SuppressWarnings(
      "removal") // a group's metadata normally comes from a consumer; any will do here
  private static Class<?> transaction(Producer<byte[], byte[]> p) {
    try {
      p.beginTransaction();
      p.send(new ProducerRecord<>("out", new byte[] {1}));
      p.sendOffsetsToTransaction(
          Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(1)),
          new ConsumerGroupMetadata("g", 1, "m", java.util.Optional.empty()));
      p.commitTransaction();
      return null;
    } catch (KafkaException e) {
      return e.getClass();
    }
  }

  @Test
  void withoutFaultsEveryTransactionCommits() {
    MockProducer<byte[], byte[]> delegate = mock();
    Producer<byte[], byte[]> p = faulty(delegate, 0, 1);
    p.initTransactions();
    for (int i = 0; i < 100; i++) {
      assertThat(transaction(p)).isNull();
    }
    assertThat(delegate.commitCount()).isEqualTo(100);
    assertThat(delegate.history()).hasSize(100);
  }

  @Test
  void injectsEveryKindAndCommitsOnlyWhereTheFaultSaysSo() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
    Map<ChaosFaults.Kind, Integer> seen = new EnumMap<>(ChaosFaults.Kind.class);
    try {
      for (int i = 0; i < 400; i++) {
        MockProducer<byte[], byte[]> delegate = mock();
        Producer<byte[], byte[]> p = faulty(delegate, 0.5, i);
        p.initTransactions();
        log.reset();
        Class<?> error = transaction(p);
        String line = log.toString(StandardCharsets.UTF_8).trim();
        if (error == null) {
          assertThat(line).isEmpty();
          assertThat(delegate.commitCount()).isEqualTo(1);
          continue;
        }
        ChaosFaults.Kind fault = ChaosFaults.Kind.valueOf(line.split(" ")[1]);
        seen.merge(fault, 1, Integer::sum);
        long commits = delegate.commitCount();
        switch (fault) {
          case FENCED_ON_BEGIN, FENCED_ON_COMMIT -> {
            assertThat(error).isEqualTo(ProducerFencedException.class);
            assertThat(commits).isZero();
          }
          case OFFSETS_COMMIT_FAILED -> {
            assertThat(error).isEqualTo(CommitFailedException.class);
            assertThat(commits).isZero();
          }
          case OFFSETS_TIMEOUT, COMMIT_TIMEOUT_NOT_COMMITTED -> {
            assertThat(error).isEqualTo(TimeoutException.class);
            assertThat(commits).isZero();
          }
          case ABORTABLE_ON_COMMIT -> {
            assertThat(error).isEqualTo(KafkaException.class);
            assertThat(commits).isZero();
          }
          case COMMIT_TIMEOUT_BUT_COMMITTED -> {
            assertThat(error).isEqualTo(TimeoutException.class);
            assertThat(commits).isEqualTo(1);
          }
        }
      }
    } finally {
      System.setOut(stdout);
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrder(ChaosFaults.Kind.values());
  }

  @Test
  void crashSwitchArmedForAnotherPointDoesNotFire() throws Exception {
    CrashSwitch crashSwitch = new CrashSwitch(dir.resolve("switch"));
    crashSwitch.arm(CrashSwitch.Point.AFTER_FLUSH);
    Producer<byte[], byte[]> p = faulty(mock(), 0, 1);
    p.initTransactions();
    // An exactly-once transaction passes BEFORE_OFFSETS, BEFORE_COMMIT and AFTER_COMMIT only.
    assertThatCode(() -> assertThat(transaction(p)).isNull()).doesNotThrowAnyException();
    assertThat(crashSwitch.disarm()).as("still armed").isTrue();
    assertThat(crashSwitch.disarm()).isFalse();
  }
}
