package dev.weir.examples.files;

import dev.weir.WeirConfig;
import dev.weir.examples.ExampleRunner;
import dev.weir.sink.file.DateTimeBucketAssigner;
import dev.weir.sink.file.DefaultRollingPolicy;
import dev.weir.sink.file.FileSink;
import dev.weir.sink.file.JsonLinesEncoder;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Writes the warnings and errors of a log stream into hourly directories of JSON-lines files,
 * exactly once: reads lines {@code "<LEVEL> <service> <message>"} from {@code logs}, keeps {@code
 * WARN} and {@code ERROR}, and writes {@code {"ts":...,"level":...,"service":...,"message":...}}
 * under {@code <dir>/yyyy-MM-dd--HH/} (the hour of the record's timestamp, UTC). A part file ends
 * after 15 minutes, 5 idle minutes or 64 MiB and appears only after the Kafka commit that consumed
 * its records.
 *
 * <p>Run: {@code HourlyWarningFiles [--bootstrap-servers host:port]}; files go to {@code
 * ./warnings}.
 */
public final class HourlyWarningFiles {
  private HourlyWarningFiles() {}

  /** One log event; {@code ts} is the Kafka record's timestamp. */
  record Event(long ts, String level, String service, String message) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Parses {@code "<LEVEL> <service> <message>"}; a line without three parts is rejected. */
    static Event parse(String line, long ts) {
      String[] p = line.split(" ", 3);
      if (p.length < 3) {
        throw new IllegalArgumentException(
            "a log line is '<LEVEL> <service> <message>', not '" + line + "'");
      }
      return new Event(ts, p[0], p[1], p[2]);
    }

    boolean isWarningOrWorse() {
      return level.equals("WARN") || level.equals("ERROR");
    }

    byte[] toJson() {
      return ("{\"ts\":"
              + ts
              + ",\"level\":"
              + quote(level)
              + ",\"service\":"
              + quote(service)
              + ",\"message\":"
              + quote(message)
              + "}")
          .getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      return b.append('"').toString();
    }
  }

  /**
   * Builds the pipeline.
   *
   * @param logsTopic where log lines come from
   * @param directory the base path of the hourly directories
   * @return the topology
   */
  public static Topology topology(String logsTopic, String directory) {
    // [docs:hourly-files]
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.topic(logsTopic, Serdes.String()), "logs")
        .process(new ParseEvents())
        .name("parse")
        .filter(Event::isWarningOrWorse)
        .name("warnings")
        .sinkTo(
            FileSink.forRowFormat(directory, JsonLinesEncoder.<Event>of(Event::toJson))
                .withBucketAssigner(DateTimeBucketAssigner.<Event>eventTime("yyyy-MM-dd--HH"))
                .withRollingPolicy(
                    DefaultRollingPolicy.builder()
                        .withMaxPartSize(64L * 1024 * 1024)
                        .withRolloverInterval(Duration.ofMinutes(15))
                        .withInactivityInterval(Duration.ofMinutes(5))
                        .build())
                .withPartNames("part", ".jsonl")
                .build())
        .uid("warning-files");
    return builder.build();
    // [/docs:hourly-files]
  }

  /** Parses a line with the record's timestamp. */
  static final class ParseEvents extends dev.weir.functions.ProcessFunction<String, Event> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String line, Context ctx, dev.weir.functions.Collector<Event> out) {
      out.collect(Event.parse(line, ctx.timestamp()));
    }
  }

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "hourly-warning-files");
    ExampleRunner.run(args, config, topology("logs", "warnings"), "logs");
  }
}
