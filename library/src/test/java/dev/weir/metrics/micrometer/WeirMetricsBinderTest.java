package dev.weir.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.functions.RichMapFunction;
import dev.weir.metrics.Counter;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.WeirTestDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The binder shows the registry's metrics, with their values and tags, as Micrometer meters. */
class WeirMetricsBinderTest {
  static final class Upper extends RichMapFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient Counter seen;

    @Override
    public void open() {
      seen = getRuntimeContext().getMetricGroup().counter("seen");
    }

    @Override
    public String map(String v) {
      seen.inc();
      return v.toUpperCase(java.util.Locale.ROOT);
    }
  }

  @Test
  void metersCarryTheMetricsValuesAndTags() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .map(new Upper())
        .name("upper")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    WeirTestDriver driver = new WeirTestDriver(b.build());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // [docs:micrometer-driver]
    try (WeirMetricsBinder binder = new WeirMetricsBinder(driver::metrics, Duration.ZERO)) {
      binder.bindTo(registry);
      // [/docs:micrometer-driver]
      TestInputTopic<String, String> in =
          driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
      in.pipeInput("a");
      in.pipeInput("b");
      in.pipeInput("c");

      assertThat(
              registry
                  .get("weir.thread.records.in.total")
                  .tag("client-id", "test-driver-driver")
                  .tag("thread-id", "driver")
                  .functionCounter()
                  .count())
          .isEqualTo(3.0);
      assertThat(registry.get("weir.thread.records.out.total").functionCounter().count())
          .isEqualTo(3.0);
      assertThat(registry.get("weir.thread.commit.total").functionCounter().count()).isEqualTo(3.0);
      // 3 records over the registry's 30 s minimum window (the driver's clock stands at 0).
      assertThat(registry.get("weir.thread.records.in.rate").gauge().value()).isEqualTo(0.1);
      assertThat(
              registry
                  .get("weir.user.seen")
                  .tag("operator", "upper")
                  .tag("task-id", "0_0")
                  .tag("scope", "")
                  .gauge()
                  .value())
          .isEqualTo(3.0);
      assertThat(registry.find("weir.instance.state").meters()).isEmpty();

      // Closing the task removes its metrics from Weir's registry, and the next refresh removes
      // their meters; the thread's stay.
      driver.close();
      binder.refresh();
      assertThat(registry.find("weir.user.seen").meters()).isEmpty();
      assertThat(registry.find("weir.task.records.in.total").meters()).isEmpty();
      assertThat(registry.find("weir.thread.records.in.total").meters()).hasSize(1);
    }
  }
}
