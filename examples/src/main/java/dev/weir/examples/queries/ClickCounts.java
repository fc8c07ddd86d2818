package dev.weir.examples.queries;

import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Counts clicks per user: reads {@code user -> page} records, keeps the count per user in a {@link
 * ValueState} of the operator with uid {@value #UID}, and writes {@code user -> count} to the
 * output topic on every click. {@link CountServer} serves the counts over HTTP with interactive
 * queries.
 */
public final class ClickCounts {
  /** The counting operator's uid: what queries name it by. */
  public static final String UID = "click-counter";

  /** The count per user; queries decode it with the same descriptor. */
  public static final ValueStateDescriptor<Long> COUNT =
      new ValueStateDescriptor<>("count", Serdes.Long());

  private ClickCounts() {}

  /**
   * Builds the pipeline.
   *
   * @param clicksTopic where {@code user -> page} records come from
   * @param countsTopic where {@code user -> count} records go
   * @return the topology
   */
  public static Topology topology(String clicksTopic, String countsTopic) {
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.keyValues(clicksTopic, Serdes.String(), Serdes.String()), "clicks")
        .keyBy(KeyValue::key, Serdes.String())
        .process(new Count())
        .uid(UID)
        .sinkTo(KafkaSink.keyValues(countsTopic, Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  /** Adds one to the user's count. */
  static final class Count
      extends KeyedProcessFunction<String, KeyValue<String, String>, KeyValue<String, Long>> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open() {
      count = getRuntimeContext().getState(COUNT);
    }

    @Override
    public void processElement(
        KeyValue<String, String> click, Context ctx, Collector<KeyValue<String, Long>> out)
        throws Exception {
      Long n = count.value();
      long next = n == null ? 1 : n + 1;
      count.update(next);
      out.collect(KeyValue.of(click.key(), next));
    }
  }
}
