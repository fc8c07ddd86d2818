package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W3 on Weir: key by the event's key (a repartition), count per key in a {@link ValueState}, emit
 * every update as key and long count.
 */
final class WeirW3 implements Contender {
  private final java.util.function.Function<ContenderSpec, Map<String, Object>> settings;
  private WeirApplication app;

  /** W3 with the settings every Weir contender uses. */
  WeirW3() {
    this(spec -> Map.of());
  }

  /**
   * W3 with extra settings.
   *
   * @param settings per instance, added to (and overriding) {@link WeirW1#properties}, for W8's
   *     standby and static-membership setup
   */
  WeirW3(java.util.function.Function<ContenderSpec, Map<String, Object>> settings) {
    this.settings = settings;
  }

  /** The running count. */
  static final class Count extends KeyedProcessFunction<String, String, KeyValue<String, Long>> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open() {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long(), 0L));
    }

    @Override
    public void processElement(String line, Context ctx, Collector<KeyValue<String, Long>> out) {
      long n = count.value() + 1;
      count.update(n);
      out.collect(KeyValue.of(ctx.getCurrentKey(), n));
    }
  }

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    StreamBuilder b = new StreamBuilder();
    List<String> in = spec.inputs();
    b.fromSource(
            KafkaSource.topic(
                in.get(0), Serdes.String(), in.subList(1, in.size()).toArray(String[]::new)),
            "input")
        .keyBy(
            line -> Event.parse(line).key(),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .process(new Count())
        .uid("counts")
        .sinkTo(KafkaSink.keyValues(spec.output(), Serdes.String(), Serdes.Long()));
    Properties props = WeirW1.properties(spec);
    props.putAll(settings.apply(spec));
    app = new WeirApplication(b.build(), props);
    WeirW1.reportFailures(app, status);
    app.start();
  }

  @Override
  public void stop() {
    if (app != null) {
      app.close(Duration.ofSeconds(30));
    }
  }
}
