package dev.weir.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @TempDir Path directory;

  @Test
  void returnsTheLastLinesOfALargeFile() throws Exception {
    Path log = directory.resolve("big.log");
    List<String> lines =
        IntStream.range(0, 20_000).mapToObj(i -> "line " + i).collect(Collectors.toList());
    Files.write(log, lines, StandardCharsets.UTF_8);

    assertThat(LogTail.lastLines(log, 3)).containsExactly("line 19997", "line 19998", "line 19999");
    assertThat(LogTail.lastLines(log, 40)).hasSize(40).endsWith("line 19999");
  }

  @Test
  void returnsEverythingFromASmallFileIncludingAnUnterminatedLastLine() throws Exception {
    Path log = directory.resolve("small.log");
    Files.writeString(log, "first\nsecond\nthird");

    assertThat(LogTail.lastLines(log, 40)).containsExactly("first", "second", "third");
  }

  @Test
  void aMissingFileHasNoLines() throws Exception {
    assertThat(LogTail.lastLines(directory.resolve("missing.log"), 10)).isEmpty();
  }

  @Test
  void describeNamesTheFile() throws Exception {
    Path log = directory.resolve("named.log");
    Files.writeString(log, "boom\n");

    assertThat(LogTail.describe(log, 40)).contains(log.toString()).endsWith("boom");
  }
}
