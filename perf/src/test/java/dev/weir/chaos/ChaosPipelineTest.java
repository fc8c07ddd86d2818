package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * The chaos pipeline's two window variants give the same results, the ones the verifier expects.
 */
class ChaosPipelineTest {
  private static final long T0 = 1_700_000_000_000L;

  private static List<TestOutputTopic.TestRecord<String, String>> windows(
      Workload w, boolean windowLists) {
    try (WeirTestDriver driver =
        new WeirTestDriver(
            ChaosPipeline.topology(
                ChaosPipeline.Kind.COUNT_AND_WINDOWS,
                "in",
                "out",
                "windows",
                "joins",
                0,
                0,
                "",
                "",
                windowLists))) {
      TestInputTopic<String, String> in =
          driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
      for (int seq = 0; seq < w.records(); seq++) {
        in.pipeInput(w.key(seq), w.value(seq), T0 + w.eventTimeOffsetMs(seq));
      }
      // Past the last window's end and the watermark's bound: every window fires.
      in.pipeInput(
          "end", "end:0", T0 + w.maxEventTimeOffsetMs() + ChaosPipeline.WINDOW.toMillis() * 2);
      return driver
          .createOutputTopic(
              "windows", Serdes.String().deserializer(), Serdes.String().deserializer())
          .readRecordsToList();
    }
  }

  @Test
  void windowsKeepingTheirRecordsCountLikeTheIncrementalCount() {
    Workload w = new Workload(5, 12_000, 20, 1);

    List<TestOutputTopic.TestRecord<String, String>> aggregate = windows(w, false);
    List<TestOutputTopic.TestRecord<String, String>> lists = windows(w, true);

    assertThat(aggregate).hasSizeGreaterThan(20);
    long total =
        aggregate.stream()
            .mapToLong(r -> Long.parseLong(r.value().substring(r.value().lastIndexOf(':') + 1)))
            .sum();
    assertThat(total).isEqualTo(w.records());
    assertThat(lists)
        .extracting(TestOutputTopic.TestRecord::key)
        .containsExactlyElementsOf(
            aggregate.stream().map(TestOutputTopic.TestRecord::key).toList());
    assertThat(lists)
        .extracting(TestOutputTopic.TestRecord::value)
        .containsExactlyElementsOf(
            aggregate.stream().map(TestOutputTopic.TestRecord::value).toList());
    assertThat(lists)
        .extracting(TestOutputTopic.TestRecord::timestamp)
        .containsExactlyElementsOf(
            aggregate.stream().map(TestOutputTopic.TestRecord::timestamp).toList());
  }
}
