package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * A task resumes event time only from the committed metadata of its own input partitions. A stream
 * thread reads the committed offsets of all the tasks it creates at once; the event-time state is
 * kept per input topic, so another task's partition of the same topic must not be restored into
 * this task (a chaos run found windows fired early: a task had taken a sibling's watermarks).
 */
class StreamTaskEventTimeTest {
  private static final String REPARTITION = "app-by-key-repartition";

  private static final RecordCollector DISCARD =
      new RecordCollector() {
        @Override
        public void send(
            String topic, Integer partition, byte[] key, byte[] value, long ts, Headers h) {}

        @Override
        public int partitionCount(String topic) {
          return 2;
        }

        @Override
        public void sendChangelog(
            String topic, int partition, byte[] key, byte[] value, long ts, LongConsumer onOff) {}
      };

  private static StreamTask downstreamTask(int partition) throws Exception {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofMillis(5)),
            "in")
        .keyBy(v -> v, Serdes.String(), Repartition.<String>named("by-key"))
        .map(v -> v)
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    Plan plan = TopologyAccess.plan(b.build(), "app");
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    TaskBuilder builder =
        new TaskBuilder(
            plan, Translator.translate(plan), ErrorHandling.from(TestSettings.of(props)), sub -> 2);
    TaskId id = new TaskId(1, partition);
    TaskContext ctx = new TaskContext("app", id, 2, DISCARD, () -> 0L, new TaskMetrics());
    StreamTask task = builder.build(id, ctx);
    task.open();
    return task;
  }

  @Test
  void restoresOnlyItsOwnPartitionsEventTime() throws Exception {
    StreamTask task = downstreamTask(0);
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    committed.put(
        new TopicPartition(REPARTITION, 0), new OffsetAndMetadata(5, "w1:u:1000/0,1200/0"));
    // A sibling task's partition, whose upstream tasks already passed the end of the input.
    committed.put(
        new TopicPartition(REPARTITION, 1), new OffsetAndMetadata(9, "w1:u:999999/0,999999/0"));

    task.restoreEventTime(committed);

    assertThat(task.context().watermarks().watermark()).isEqualTo(1000);
    assertThat(task.context().watermarks().inputs(0).get(REPARTITION + "-0/upstream-1"))
        .containsExactly(1200, 0);
    assertThat(task.unchangedOffset())
        .isEqualTo(
            Map.entry(
                new TopicPartition(REPARTITION, 0),
                new OffsetAndMetadata(5, "w1:u:1000/0,1200/0")));
    task.close(false);
  }
}
