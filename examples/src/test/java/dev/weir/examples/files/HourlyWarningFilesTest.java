package dev.weir.examples.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.WeirTestDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HourlyWarningFilesTest {
  private static final long TEN = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
  private static final long ELEVEN = TEN + 3_600_000;

  @TempDir Path dir;

  @Test
  void warningsLandInTheirHourAsJsonLinesOnceTheirPartsEnd() throws IOException {
    Properties config = new Properties();
    config.put(WeirConfig.PROCESSING_HANDLER_CONFIG, "log_and_skip");
    try (WeirTestDriver driver =
        new WeirTestDriver(HourlyWarningFiles.topology("logs", dir.toString()), config, TEN)) {
      TestInputTopic<String, String> logs =
          driver.createInputTopic("logs", new StringSerializer(), new StringSerializer());
      logs.pipeInput("INFO api started", TEN + 1);
      logs.pipeInput("WARN api slow \"GET /\" 2.5s", TEN + 2);
      logs.pipeInput("garbage", TEN + 3); // rejected by the parser: skipped by the handler
      logs.pipeInput("ERROR db connection lost", ELEVEN + 4);
      logs.pipeInput("WARN api retry", TEN + 5); // a late event still goes to its own hour

      assertThat(finished()).isEmpty(); // parts are in progress: nothing visible yet

      driver.advanceProcessingTime(Duration.ofMinutes(5)); // idle parts end at the next commit
      assertThat(finished())
          .containsExactly(
              Map.entry(
                  "2026-03-01--10/part-0-0.jsonl",
                  "{\"ts\":"
                      + (TEN + 2)
                      + ",\"level\":\"WARN\",\"service\":\"api\",\"message\":\"slow \\\"GET /\\\""
                      + " 2.5s\"}\n{\"ts\":"
                      + (TEN + 5)
                      + ",\"level\":\"WARN\",\"service\":\"api\",\"message\":\"retry\"}\n"),
              Map.entry(
                  "2026-03-01--11/part-0-1.jsonl",
                  "{\"ts\":"
                      + (ELEVEN + 4)
                      + ",\"level\":\"ERROR\",\"service\":\"db\",\"message\":\"connection lost\"}\n"));
      assertThat(driver.metrics()).containsEntry("records-skipped", 1L);
    }
  }

  private Map<String, String> finished() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().startsWith(".")) {
          out.put(dir.relativize(p).toString(), Files.readString(p));
        }
      }
    }
    return out;
  }
}
