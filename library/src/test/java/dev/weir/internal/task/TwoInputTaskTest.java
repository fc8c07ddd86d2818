package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.config.TestSettings;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose operator has two inputs, each fed by its own source topic ("left" is input 1,
 * "right" is input 2, keyed by the text before ':'), with its state in RocksDB. Checks record
 * routing, keyed state and timers shared by both inputs, the combined watermark and idleness, and
 * that the watermark does not go back when the task is recreated from its committed offsets.
 */
class TwoInputTaskTest {
  private static final RecordCollector DISCARD =
      new RecordCollector() {
        @Override
        public void send(
            String topic, Integer partition, byte[] key, byte[] value, long ts, Headers h) {}

        @Override
        public int partitionCount(String topic) {
          return 1;
        }

        @Override
        public void sendChangelog(
            String topic, int partition, byte[] key, byte[] value, long ts, LongConsumer onOff) {}
      };

  @TempDir Path stateDir;
  private StateBackend backend;
  private final List<String> out = new ArrayList<>();
  private final Map<String, Long> offsets = new HashMap<>();
  private long now = 1000;

  @BeforeEach
  void openBackend() {
    backend = StateBackends.rocksDb(RocksDbSettings.of(stateDir));
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  @SuppressWarnings("unchecked")
  private static Emitter<String> input(StreamOperator op, int index) {
    return (Emitter<String>) op.input(index);
  }

  private StreamTask newTask() throws Exception {
    TaskId id = new TaskId(0, 0);
    TaskContext ctx = new TaskContext("app", id, 1, DISCARD, () -> now, new TaskMetrics());
    ctx.setState(
        TaskState.open(
            backend, id.toString(), 0, List.of(new TaskState.StoreSpec("both", "app-both-log"))));
    BothInputsOperator both =
        new BothInputsOperator("both", v -> out.add(v + " @" + ctx.record().timestamp()));
    both.bindStore("both");
    Operator<String> keyLeft = keying("key-left", input(both, 0));
    Operator<String> keyRight = keying("key-right", input(both, 1));
    Map<String, StreamTask.InputHandler> inputs = new LinkedHashMap<>();
    inputs.put(
        "left",
        InputHandlers.source(
            "left",
            "left",
            0,
            r -> new String(r.value(), StandardCharsets.UTF_8),
            WatermarkStrategy.<String>forMonotonousTimestamps(),
            0,
            keyLeft::process,
            ctx));
    inputs.put(
        "right",
        InputHandlers.source(
            "right",
            "right",
            1,
            r -> new String(r.value(), StandardCharsets.UTF_8),
            WatermarkStrategy.<String>forMonotonousTimestamps().withIdleness(Duration.ofSeconds(1)),
            0,
            keyRight::process,
            ctx));
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    StreamTask task =
        new StreamTask(
            id,
            ctx,
            inputs,
            List.of(keyLeft, keyRight, both),
            ErrorHandling.from(TestSettings.of(props)));
    task.open();
    return task;
  }

  /**
   * The same operator fed by two repartition topics ("left-rp" from 2 upstream tasks, "right-rp"
   * from 1): keyed by the record key, event time from the upstream tasks' markers.
   */
  private StreamTask newRepartitionTask() throws Exception {
    TaskId id = new TaskId(1, 0);
    TaskContext ctx = new TaskContext("app", id, 1, DISCARD, () -> now, new TaskMetrics());
    ctx.setState(
        TaskState.open(
            backend, id.toString(), 0, List.of(new TaskState.StoreSpec("both", "app-both-log"))));
    BothInputsOperator both =
        new BothInputsOperator("both", v -> out.add(v + " @" + ctx.record().timestamp()));
    both.bindStore("both");
    Map<String, StreamTask.InputHandler> inputs = new LinkedHashMap<>();
    inputs.put(
        "left-rp",
        InputHandlers.repartition(
            "left-rp", "left-rp", 0, Serdes.String().deserializer(), true, 2, input(both, 0), ctx));
    inputs.put(
        "right-rp",
        InputHandlers.repartition(
            "right-rp",
            "right-rp",
            1,
            Serdes.String().deserializer(),
            true,
            1,
            input(both, 1),
            ctx));
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    StreamTask task =
        new StreamTask(id, ctx, inputs, List.of(both), ErrorHandling.from(TestSettings.of(props)));
    task.open();
    return task;
  }

  private void sendKeyed(StreamTask task, String topic, String key, String value, long ts)
      throws Exception {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    deliver(task, topic, k, v, ts, new RecordHeaders());
  }

  private void sendMarker(StreamTask task, String topic, int upstream, long wm, boolean idle)
      throws Exception {
    deliver(
        task, topic, null, MarkerFormat.encode(upstream, wm, idle), now, MarkerFormat.headers());
  }

  private void deliver(StreamTask task, String topic, byte[] k, byte[] v, long ts, Headers h)
      throws Exception {
    long offset = offsets.merge(topic, 1L, Long::sum) - 1;
    task.process(
        new TopicPartition(topic, 0),
        new ConsumerRecord<>(
            topic,
            0,
            offset,
            ts,
            TimestampType.CREATE_TIME,
            k == null ? -1 : k.length,
            v.length,
            k,
            v,
            h,
            Optional.empty()));
  }

  private static Operator<String> keying(String name, Emitter<String> into) {
    return KeyingOperator.<String, String>factory(v -> v.split(":")[0], Serdes.String())
        .create(name, into, tag -> Emitter.discarding());
  }

  private void send(StreamTask task, String topic, String value, long timestamp) throws Exception {
    long offset = offsets.merge(topic, 1L, Long::sum) - 1;
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    task.process(
        new TopicPartition(topic, 0),
        new ConsumerRecord<>(
            topic,
            0,
            offset,
            timestamp,
            TimestampType.CREATE_TIME,
            -1,
            v.length,
            null,
            v,
            new RecordHeaders(),
            Optional.empty()));
  }

  private List<String> drain() {
    List<String> copy = List.copyOf(out);
    out.clear();
    return copy;
  }

  @Test
  void recordsReachTheirInputAndShareKeyedStateAndTimers() throws Exception {
    StreamTask task = newTask();
    send(task, "left", "a:x", 100);
    send(task, "right", "a:y", 50);
    send(task, "right", "b:z", 70);
    assertThat(drain())
        .containsExactly(
            "input1 a seen=[input1=a:x] @100",
            "input2 a seen=[input1=a:x, input2=a:y] @50",
            "input2 b seen=[input2=b:z] @70");

    // The task's watermark is the minimum of its inputs': left 99, right 69.
    task.advanceEventTime(now, topic -> false);
    TaskContext ctx = task.context();
    assertThat(ctx.watermarks().inputWatermark(0)).isEqualTo(99);
    assertThat(ctx.watermarks().inputWatermark(1)).isEqualTo(69);
    assertThat(ctx.currentWatermark()).isEqualTo(69);
    assertThat(drain()).containsExactly("timer EVENT_TIME a seen=[input1=a:x, input2=a:y] @60");

    // Right is quiet for its idleness timeout but not at its end: it still holds event time back.
    now = 2000;
    task.advanceEventTime(now, topic -> false);
    assertThat(ctx.currentWatermark()).isEqualTo(69);
    // Quiet and caught up: idle, and no longer holds it back.
    task.advanceEventTime(now, topic -> true);
    assertThat(ctx.watermarks().inputIdle(1)).isTrue();
    assertThat(ctx.watermarks().idle()).isFalse();
    assertThat(ctx.currentWatermark()).isEqualTo(99);
    assertThat(drain()).containsExactly("timer EVENT_TIME b seen=[input2=b:z] @80");

    // A timer registered at or below the watermark fires right after the record that set it.
    send(task, "left", "b:late", 80);
    assertThat(drain())
        .containsExactly(
            "input1 b seen=[input2=b:z, input1=b:late] @80",
            "timer EVENT_TIME b seen=[input2=b:z, input1=b:late] @90");

    // Processing-time timers of both inputs, one per key and time.
    task.fireProcessingTimers(1100);
    assertThat(drain())
        .containsExactly(
            "timer PROCESSING_TIME a seen=[input1=a:x, input2=a:y] @1100",
            "timer PROCESSING_TIME b seen=[input2=b:z, input1=b:late] @1100");
    task.fireProcessingTimers(2100);
    assertThat(drain())
        .containsExactly("timer PROCESSING_TIME b seen=[input2=b:z, input1=b:late] @2100");
    task.close(true);
  }

  @Test
  void watermarkDoesNotGoBackWhenTheTaskIsRecreatedFromItsCommit() throws Exception {
    StreamTask task = newTask();
    send(task, "left", "a:x", 5000);
    send(task, "right", "b:y", 100);
    task.advanceEventTime(now, topic -> false);
    assertThat(task.context().currentWatermark()).isEqualTo(99);
    // Right goes idle: the task follows left alone.
    now = 3000;
    task.advanceEventTime(now, topic -> true);
    assertThat(task.context().currentWatermark()).isEqualTo(4999);
    // Right comes back behind it: the task's watermark stays, right's input starts again from 199.
    send(task, "right", "b:z", 200);
    task.advanceEventTime(now, topic -> false);
    assertThat(task.context().currentWatermark()).isEqualTo(4999);
    assertThat(task.context().watermarks().inputWatermark(1)).isEqualTo(199);
    assertThat(drain())
        .containsExactly(
            "input1 a seen=[input1=a:x] @5000",
            "input2 b seen=[input2=b:y] @100",
            "timer EVENT_TIME b seen=[input2=b:y] @110",
            "input2 b seen=[input2=b:y, input2=b:z] @200",
            "timer EVENT_TIME b seen=[input2=b:y, input2=b:z] @210");

    task.prepareCommit();
    Map<TopicPartition, OffsetAndMetadata> committed = task.offsetsToCommit();
    task.postCommit();
    task.close(true);
    // The channels alone would restore min(4999, 199): the metadata carries both watermarks.
    assertThat(committed)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                new TopicPartition("left", 0),
                new OffsetAndMetadata(1, "w2:4999:4999:s:4999:0"),
                new TopicPartition("right", 0),
                new OffsetAndMetadata(2, "w2:4999:199:s:199:0")));

    StreamTask again = newTask();
    again.restoreEventTime(committed);
    assertThat(again.context().currentWatermark()).isEqualTo(4999);
    assertThat(again.context().watermarks().inputWatermark(0)).isEqualTo(4999);
    assertThat(again.context().watermarks().inputWatermark(1)).isEqualTo(199);
    again.advanceEventTime(now, topic -> false);
    assertThat(again.context().currentWatermark()).isEqualTo(4999);

    // State and timers came back from RocksDB: a's timer at 5010 fires once right passes it.
    send(again, "right", "a:w", 7000);
    again.advanceEventTime(now, topic -> false);
    assertThat(again.context().currentWatermark()).isEqualTo(4999);
    send(again, "left", "c:v", 6000);
    again.advanceEventTime(now, topic -> false);
    assertThat(again.context().currentWatermark()).isEqualTo(5999);
    assertThat(drain())
        .containsExactly(
            "input2 a seen=[input1=a:x, input2=a:w] @7000",
            "input1 c seen=[input1=c:v] @6000",
            "timer EVENT_TIME a seen=[input1=a:x, input2=a:w] @5010");
    again.close(true);
  }

  @Test
  void eventTimeGainedWithoutNewRecordsSurvivesTheNextRestart() throws Exception {
    StreamTask task = newTask();
    send(task, "left", "a:x", 5000);
    send(task, "right", "b:y", 100);
    task.advanceEventTime(now, topic -> false);
    task.prepareCommit();
    Map<TopicPartition, OffsetAndMetadata> first = task.offsetsToCommit();
    task.postCommit();
    task.close(true);
    assertThat(first)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                new TopicPartition("left", 0),
                new OffsetAndMetadata(1, "w1:s:4999:0"),
                new TopicPartition("right", 0),
                new OffsetAndMetadata(1, "w1:s:99:0")));

    // Recreated, it reads nothing more: right goes idle and the task follows left alone.
    StreamTask again = newTask();
    again.restoreEventTime(first);
    assertThat(again.context().currentWatermark()).isEqualTo(99);
    again.advanceEventTime(now, topic -> true);
    now += 1000;
    again.advanceEventTime(now, topic -> true);
    assertThat(again.context().currentWatermark()).isEqualTo(4999);
    again.prepareCommit();
    Map<TopicPartition, OffsetAndMetadata> second = again.offsetsToCommit();
    again.postCommit();
    again.close(true);
    // The same offsets, with the state that keeps 4999.
    assertThat(second)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                new TopicPartition("left", 0),
                new OffsetAndMetadata(1, "w2:4999:4999:s:4999:0"),
                new TopicPartition("right", 0),
                new OffsetAndMetadata(1, "w2:4999:99:s:99:1")));

    StreamTask third = newTask();
    third.restoreEventTime(second);
    assertThat(third.context().currentWatermark()).isEqualTo(4999);
    assertThat(drain())
        .containsExactly(
            "input1 a seen=[input1=a:x] @5000",
            "input2 b seen=[input2=b:y] @100",
            "timer EVENT_TIME b seen=[input2=b:y] @110");
    third.close(true);
  }

  @Test
  void repartitionInputsKeyByTheRecordKeyAndTakeEventTimeFromTheirUpstreamTasks() throws Exception {
    StreamTask task = newRepartitionTask();
    sendKeyed(task, "left-rp", "a", "l1", 100);
    sendKeyed(task, "right-rp", "a", "r1", 120);
    assertThat(drain())
        .containsExactly(
            "input1 a seen=[input1=l1] @100", "input2 a seen=[input1=l1, input2=r1] @120");

    // Left is the minimum over its two upstream tasks; the task the minimum over both inputs.
    sendMarker(task, "left-rp", 0, 500, false);
    sendMarker(task, "left-rp", 1, 300, false);
    sendMarker(task, "right-rp", 0, 125, false);
    assertThat(task.context().takeMarkerArrived()).isTrue();
    task.advanceEventTime(now, topic -> false);
    assertThat(task.context().watermarks().inputWatermark(0)).isEqualTo(300);
    assertThat(task.context().watermarks().inputWatermark(1)).isEqualTo(125);
    assertThat(task.context().currentWatermark()).isEqualTo(125);
    assertThat(drain()).containsExactly("timer EVENT_TIME a seen=[input1=l1, input2=r1] @110");

    // Right's only upstream task goes idle: left alone decides.
    sendMarker(task, "right-rp", 0, 126, true);
    task.advanceEventTime(now, topic -> false);
    assertThat(task.context().currentWatermark()).isEqualTo(300);
    assertThat(drain()).containsExactly("timer EVENT_TIME a seen=[input1=l1, input2=r1] @130");
    task.close(true);
  }
}
