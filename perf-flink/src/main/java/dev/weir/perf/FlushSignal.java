package dev.weir.perf;

import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How the Flink W2 and W2K jobs learn that the data set has ended, so that their last windows fire
 * as soon as the other contenders' do.
 *
 * <p>The harness writes the flush records to a topic of the run's own once the contender has
 * committed the whole data set ({@link Dataset#flushRecords}). Weir reads that topic in its source
 * and marks its empty partitions idle, which it can do safely because it knows their backlog; Kafka
 * Streams' stream time simply jumps. A Flink source cannot read it the same way: an empty split
 * holds the watermark back unless it is declared idle after a timeout, and a timeout short enough
 * not to delay the end also declares data splits idle whenever the consumer serves other partitions
 * for a while (it hands out one partition's fetch at a time), after which their records are late
 * and dropped. So the job reads the flush topic in a separate source that feeds nothing downstream;
 * its deserializer raises a watermark shared within this JVM (Flink runs locally), and the data
 * source's per-split generators emit at least that. Only after the whole data set was consumed does
 * the flush arrive, so no data record can be behind it.
 */
final class FlushSignal {
  /** The flush's watermark, raised by {@link Listener}; the minimum until the flush arrives. */
  private static volatile long flushWatermark = Long.MIN_VALUE;

  private FlushSignal() {}

  /**
   * Adds the flush listener to the job: a source over the flush topics into a discarding sink.
   *
   * @param topics the run's flush topic
   */
  static void listen(StreamExecutionEnvironment env, ContenderSpec spec, List<String> topics) {
    env.fromSource(
            FlinkKafka.source(spec, "flush", topics, new Listener(Dataset.MAX_DISORDER_MS)),
            WatermarkStrategy.noWatermarks(),
            "flush")
        .sinkTo(new DiscardingSink<>())
        .name("flush-end");
  }

  /**
   * Watermarks of the data source: bounded out-of-orderness per split, as Flink's own, from the
   * record timestamps, and at least the flush's once it arrived.
   */
  static <T> WatermarkStrategy<T> watermarks(long outOfOrdernessMs) {
    return context -> new Generator<>(outOfOrdernessMs);
  }

  private static synchronized void raise(long watermark) {
    if (watermark > flushWatermark) {
      flushWatermark = watermark;
    }
  }

  /** Bounded out-of-orderness, raised to the flush's watermark. */
  static final class Generator<T> implements WatermarkGenerator<T> {
    private final long outOfOrderness;
    private long maxTimestamp = Long.MIN_VALUE;

    Generator(long outOfOrdernessMs) {
      this.outOfOrderness = outOfOrdernessMs;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
      if (timestamp > maxTimestamp) {
        maxTimestamp = timestamp;
      }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      long own =
          maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrderness - 1;
      output.emitWatermark(new Watermark(Math.max(own, flushWatermark)));
    }
  }

  /** Reads the flush records: raises the shared watermark and emits nothing. */
  static final class Listener implements KafkaRecordDeserializationSchema<String> {
    private static final long serialVersionUID = 1L;
    private final long outOfOrderness;

    Listener(long outOfOrdernessMs) {
      this.outOfOrderness = outOfOrdernessMs;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
      raise(record.timestamp() - outOfOrderness - 1);
    }

    @Override
    public TypeInformation<String> getProducedType() {
      return Types.STRING;
    }
  }
}
