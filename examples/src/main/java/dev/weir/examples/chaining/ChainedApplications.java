package dev.weir.examples.chaining;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Two applications chained through a topic that share one event-time clock: the upstream one cleans
 * readings and writes its watermark markers into the topic between them; the downstream one takes
 * its watermarks from those markers (it generates none) and reports a sensor that stayed silent for
 * a minute of event time.
 */
public final class ChainedApplications {
  private ChainedApplications() {}

  /**
   * The upstream application: "sensor:value" lines, trimmed, to {@code cleaned} with markers.
   *
   * @param readings the input topic
   * @param cleaned the topic between the applications
   * @return the topology
   */
  public static Topology upstream(String readings, String cleaned) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:chain-upstream]
    builder
        .fromSource(
            KafkaSource.topic(readings, Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            "readings")
        .map(String::trim)
        .sinkTo(KafkaSink.topic(cleaned, Serdes.String()).withWatermarkMarkers());
    // [/docs:chain-upstream]
    return builder.build();
  }

  /**
   * The downstream application: a "silent" alert one minute of event time after a sensor's last
   * reading.
   *
   * @param cleaned the topic between the applications
   * @param upstreamTasks the upstream application's sink task count (its input partitions)
   * @param alerts the output topic
   * @return the topology
   */
  public static Topology downstream(String cleaned, int upstreamTasks, String alerts) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:chain-downstream]
    builder
        .fromSource(
            KafkaSource.topic(cleaned, Serdes.String()).withWatermarkMarkers(upstreamTasks),
            "cleaned")
        .keyBy(line -> line.substring(0, line.indexOf(':')), Serdes.String())
        .process(new SilenceAlert())
        .uid("silence-alert")
        .sinkTo(KafkaSink.topic(alerts, Serdes.String()));
    // [/docs:chain-downstream]
    return builder.build();
  }

  /** Emits "sensor silent since T" when a sensor sends nothing for a minute of event time. */
  static final class SilenceAlert extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> pending;

    @Override
    public void open() {
      pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending", Serdes.Long()));
    }

    @Override
    public void processElement(String line, Context ctx, Collector<String> out) {
      Long previous = pending.value();
      long next = ctx.timestamp() + 60_000;
      if (previous != null && previous >= next) {
        return; // a later reading already set a later timer
      }
      if (previous != null) {
        ctx.timerService().deleteEventTimeTimer(previous); // one timer per sensor
      }
      ctx.timerService().registerEventTimeTimer(next);
      pending.update(next);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      pending.clear();
      out.collect(ctx.getCurrentKey() + " silent since " + (timestamp - 60_000));
    }
  }
}
