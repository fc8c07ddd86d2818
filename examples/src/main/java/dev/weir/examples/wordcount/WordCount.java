package dev.weir.examples.wordcount;

import dev.weir.WeirConfig;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.Collector;
import dev.weir.functions.FlatMapFunction;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.KeyValueSerde;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Counts words: reads lines of text from {@code lines}, writes {@code word -> count so far} to
 * {@code word-counts} (key: the word, value: a long) every time a word is seen.
 *
 * <p>Run: {@code WordCount [--bootstrap-servers host:port]}.
 */
public final class WordCount {
  private WordCount() {}

  /**
   * Builds the pipeline.
   *
   * @param linesTopic where lines of text come from
   * @param countsTopic where counts go
   * @return the topology
   */
  public static Topology topology(String linesTopic, String countsTopic) {
    // [docs:word-count]
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.topic(linesTopic, Serdes.String()), "lines")
        .flatMap(new SplitIntoWords())
        .name("split-into-words")
        .returns(new KeyValueSerde<>(Serdes.String(), Serdes.Long()))
        .keyBy(KeyValue::key, Serdes.String())
        .reduce((total, one) -> KeyValue.of(total.key(), total.value() + one.value()))
        .uid("word-counts")
        .sinkTo(KafkaSink.keyValues(countsTopic, Serdes.String(), Serdes.Long()));
    return builder.build();
    // [/docs:word-count]
  }

  // [docs:split-into-words]
  /** Splits a line into lower-case words, each paired with the count 1. */
  static final class SplitIntoWords implements FlatMapFunction<String, KeyValue<String, Long>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(String line, Collector<KeyValue<String, Long>> out) {
      for (String word : line.toLowerCase(Locale.ROOT).split("\\W+")) {
        if (!word.isEmpty()) {
          out.collect(KeyValue.of(word, 1L));
        }
      }
    }
  }

  // [/docs:split-into-words]

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    // [docs:run]
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "word-count");
    ExampleRunner.run(args, config, topology("lines", "word-counts"), "lines", "word-counts");
    // [/docs:run]
  }
}
