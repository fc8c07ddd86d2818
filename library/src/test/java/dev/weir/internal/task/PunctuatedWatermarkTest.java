package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.eventtime.WatermarkGenerator;
import dev.weir.eventtime.WatermarkGeneratorSupplier;
import dev.weir.eventtime.WatermarkOutput;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.store.StateBackends;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * A watermark a generator emits in {@code onEvent} takes effect before the task's next record, as
 * in Flink: records are processed back to back, as the stream thread does within one poll, with no
 * {@code watermark.interval.ms} tick between them, and the timer the watermark makes due fires
 * between the record that carried the watermark and the next one.
 */
class PunctuatedWatermarkTest {
  private static final TopicPartition IN = new TopicPartition("in", 0);

  /** Emits "timestamp - 1" after each record whose value starts with '!'; nothing periodic. */
  static final class Punctuated implements WatermarkGenerator<String> {
    @Override
    public void onEvent(String event, long timestamp, WatermarkOutput output) {
      if (event.startsWith("!")) {
        output.emitWatermark(timestamp - 1);
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
  }

  /** Creates {@link Punctuated} generators (a class: a serialisable lambda would warn). */
  static final class PunctuatedSupplier implements WatermarkGeneratorSupplier<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<String> createWatermarkGenerator() {
      return new Punctuated();
    }
  }

  /** Passes records on with the watermark they see; record "a" sets an event-time timer at 10. */
  static final class TimerAtTen extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      out.collect("rec " + v + " wm " + ctx.currentWatermark());
      if (v.equals("a")) {
        ctx.timerService().registerEventTimeTimer(10);
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      out.collect("timer " + timestamp + " wm " + ctx.currentWatermark());
    }
  }

  @Test
  void aPunctuatedWatermarkFiresTimersBeforeTheNextRecord() throws Exception {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forGenerator(new PunctuatedSupplier()),
            "in")
        .reinterpretAsKeyedStream(v -> "k", Serdes.String())
        .process(new TimerAtTen())
        .uid("timers")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    Plan plan = TopologyAccess.plan(b.build(), "app");
    List<TaskState.StoreSpec> specs = new ArrayList<>();
    for (String store : plan.stores(plan.subTopologies().get(0))) {
      specs.add(new TaskState.StoreSpec(store, plan.changelogTopic(store)));
    }
    List<String> out = new ArrayList<>();
    TaskContext ctx =
        new TaskContext("app", new TaskId(0, 0), 1, collector(out), () -> 0L, new TaskMetrics());
    ctx.setSerdeConfigs(Map.of());
    ctx.setState(TaskState.open(StateBackends.inMemory(), "0_0", 0, specs));
    StreamTask task =
        new TaskBuilder(
                plan,
                Translator.translate(plan),
                new ErrorHandling(ConfigKeys.HANDLER_FAIL, ConfigKeys.HANDLER_FAIL, null),
                sub -> 1)
            .build(new TaskId(0, 0), ctx);
    task.open();

    long offset = 0;
    for (String v : List.of("a@1", "b@5", "!@12", "c@13", "d@14")) {
      String[] p = v.split("@");
      task.process(IN, record(offset++, p[0], Long.parseLong(p[1])));
    }

    assertThat(out)
        .containsExactly(
            "rec a wm " + Long.MIN_VALUE,
            "rec b wm " + Long.MIN_VALUE,
            "rec ! wm " + Long.MIN_VALUE,
            "timer 10 wm 11",
            "rec c wm 11",
            "rec d wm 11");
    task.close(true);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String value, long ts) {
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(
        "in",
        0,
        offset,
        ts,
        TimestampType.CREATE_TIME,
        0,
        v.length,
        null,
        v,
        new RecordHeaders(),
        Optional.empty());
  }

  private static RecordCollector collector(List<String> out) {
    return new RecordCollector() {
      @Override
      public void send(
          String topic, Integer partition, byte[] key, byte[] value, long ts, Headers h) {
        out.add(new String(value, StandardCharsets.UTF_8));
      }

      @Override
      public int partitionCount(String topic) {
        return 1;
      }

      @Override
      public void sendChangelog(
          String topic, int partition, byte[] key, byte[] value, long ts, LongConsumer onOff) {}
    };
  }
}
