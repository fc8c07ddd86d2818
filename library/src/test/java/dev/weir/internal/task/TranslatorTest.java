package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import dev.weir.internal.graph.OneInputTransformation;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.graph.Transformation;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.StreamBuilder;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TumblingEventTimeWindows;
import dev.weir.windowing.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Every operator the API can record is translated into a factory, before any task exists. */
class TranslatorTest {

  static final class Count implements AggregateFunction<String, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(String value, Long acc) {
      return acc + 1;
    }

    @Override
    public Long getResult(Long acc) {
      return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  static final class Join<W extends Window>
      extends ProcessWindowFunction<String, String, String, W> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<String> in, Collector<String> out) {
      out.collect(String.join(",", in));
    }
  }

  @Test
  void everyOperatorKindOfAPlanGetsAFactory() {
    StreamBuilder b = new StreamBuilder();
    OutputTag<String> late = OutputTag.of("late", Serdes.String());
    var in =
        b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            "in");
    var stateless =
        in.map(String::trim)
            .returns(Serdes.String())
            .filter(s -> !s.isEmpty())
            .flatMap((String s, Collector<String> out) -> out.collect(s))
            .returns(Serdes.String())
            .process(
                new ProcessFunction<String, String>() {
                  private static final long serialVersionUID = 1L;

                  @Override
                  public void processElement(String v, Context ctx, Collector<String> out) {
                    out.collect(v);
                  }
                })
            .returns(Serdes.String());
    stateless.print();
    KeyedStream<String, String> keyed = stateless.keyBy(s -> s, Serdes.String());
    keyed
        .process(
            new KeyedProcessFunction<String, String, String>() {
              private static final long serialVersionUID = 1L;

              @Override
              public void processElement(String v, Context ctx, Collector<String> out) {
                out.collect(v);
              }
            })
        .uid("kp");
    keyed.reduce((x, y) -> x + y).uid("reduce");
    keyed.aggregate(new Count(), Serdes.Long()).uid("count");
    keyed.minBy(s -> s.length()).uid("min-by");
    keyed
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
        .allowedLateness(Duration.ofSeconds(1))
        .sideOutputLateData(late)
        .aggregate(new Count(), Serdes.Long())
        .uid("window-count");
    keyed.countWindow(3, 1).process(new Join<>()).uid("window-join");
    in.reinterpretAsKeyedStream(s -> s, Serdes.String())
        .sum()
        .uid("sum")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));

    Plan plan = TopologyAccess.plan(b.build(), "app");
    Map<Transformation<?>, OperatorFactory<?, ?>> factories = Translator.translate(plan);

    List<String> operators = new ArrayList<>();
    for (SubTopology s : plan.subTopologies()) {
      for (Transformation<?> n : s.nodes()) {
        if (n instanceof OneInputTransformation<?, ?> o) {
          assertThat(factories.get(o)).as(o.name()).isNotNull();
          operators.add(o.kind());
        }
      }
    }
    assertThat(factories).hasSize(operators.size());
    assertThat(operators)
        .containsExactlyInAnyOrder(
            "map",
            "filter",
            "flatMap",
            "process",
            "print",
            "process",
            "reduce",
            "aggregate",
            "minBy",
            "window-aggregate",
            "window-process",
            "reinterpretAsKeyed",
            "sum");
  }
}
