package dev.weir.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.stream.KeyValue;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class WordCountTest {
  @Test
  void emitsTheRunningCountOfEveryWord() {
    // [docs:word-count-test]
    try (WeirTestDriver driver = new WeirTestDriver(WordCount.topology("lines", "word-counts"))) {
      TestInputTopic<String, String> lines =
          driver.createInputTopic("lines", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, Long> counts =
          driver.createOutputTopic("word-counts", new StringDeserializer(), new LongDeserializer());

      lines.pipeInput("To be, or not to be", 1_000L);
      lines.pipeInput("that is the question", 2_000L);

      Map<String, Long> latest = new HashMap<>();
      counts.readRecordsToList().forEach(r -> latest.put(r.key(), r.value()));
      assertThat(latest)
          .containsEntry("to", 2L)
          .containsEntry("be", 2L)
          .containsEntry("or", 1L)
          .containsEntry("question", 1L);
    }
    // [/docs:word-count-test]
  }

  @Test
  void countsAreCaseInsensitiveAndIgnorePunctuation() {
    try (WeirTestDriver driver = new WeirTestDriver(WordCount.topology("lines", "word-counts"))) {
      TestInputTopic<String, String> lines =
          driver.createInputTopic("lines", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, Long> counts =
          driver.createOutputTopic("word-counts", new StringDeserializer(), new LongDeserializer());
      lines.pipeInput("Kafka! kafka? KAFKA.");
      assertThat(counts.readRecordsToList())
          .extracting(r -> KeyValue.of(r.key(), r.value()))
          .containsExactly(
              KeyValue.of("kafka", 1L), KeyValue.of("kafka", 2L), KeyValue.of("kafka", 3L));
    }
  }
}
