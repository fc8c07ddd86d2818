package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A standby copy follows its changelog with Kafka's {@link MockConsumer}: records are applied in
 * bounded steps with the offsets they reach, tombstones delete, a removed copy hands back its state
 * with everything read applied, and a new copy resumes from the offsets a previous one committed.
 */
class StandbySessionTest {
  private static final TopicPartition CL = new TopicPartition("app-op.count-changelog", 0);

  private StateBackend backend;
  private MockConsumer<byte[], byte[]> consumer;

  @BeforeEach
  void open() {
    backend = StateBackends.inMemory();
    consumer = new MockConsumer<>("none");
    consumer.updateBeginningOffsets(Map.of(CL, 0L));
  }

  @AfterEach
  void close() {
    backend.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void record(long offset, String key, String value) {
    consumer.addRecord(
        new ConsumerRecord<>(
            CL.topic(),
            CL.partition(),
            offset,
            b(key),
            value == null ? null : ChangelogFormat.encodeValue(b(value))));
  }

  private static String get(TaskStateStore s, String key) {
    byte[] v = s.store("op.count").get(b(key));
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  @Test
  void appliesRecordsInBoundedStepsWithTheirOffsetsAndHandsTheStateBack() {
    TaskStateStore state = backend.open("0_0", List.of("op.count"));
    StandbySession session = ChangelogRestorer.create().standbySession(consumer);
    session.add(state, Map.of("op.count", CL));
    assertThat(session.poll(Duration.ZERO, 10)).isZero(); // assigns and seeks
    assertThat(consumer.assignment()).containsExactly(CL);
    for (int i = 0; i < 5; i++) {
      record(i, "k" + i, "v" + i);
    }
    record(5, "k1", null); // a delete
    assertThat(session.poll(Duration.ZERO, 100)).isEqualTo(6);
    assertThat(session.offsetSums()).isEqualTo(Map.of("0_0", 6L));
    assertThat(state.committedOffsets()).isEqualTo(Map.of(CL.toString(), 6L));
    assertThat(get(state, "k0")).isEqualTo("v0");
    assertThat(get(state, "k1")).isNull();
    assertThat(get(state, "k4")).isEqualTo("v4");

    // The position passes offsets without records (a transaction marker): they count as read.
    record(7, "k0", "again");
    assertThat(session.poll(Duration.ZERO, 100)).isEqualTo(1);
    assertThat(state.committedOffsets()).isEqualTo(Map.of(CL.toString(), 8L));

    TaskStateStore back = session.remove("0_0");
    assertThat(back).isSameAs(state);
    assertThat(session.taskIds()).isEmpty();
    assertThat(consumer.assignment()).isEmpty();
    assertThat(get(back, "k0")).isEqualTo("again");
    session.close();
    back.close();
  }

  @Test
  void aNewCopyResumesFromTheCommittedOffsetsOfTheLastOne() {
    TaskStateStore state = backend.open("0_0", List.of("op.count"));
    StandbySession session = ChangelogRestorer.create().standbySession(consumer);
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.putOffset(CL.toString(), 40L);
      state.applyBatch(batch);
    }
    session.add(state, Map.of("op.count", CL));
    session.poll(Duration.ZERO, 10);
    assertThat(consumer.position(CL)).isEqualTo(40);
    session.close();
    assertThat(session.taskIds()).isEmpty();
  }
}
