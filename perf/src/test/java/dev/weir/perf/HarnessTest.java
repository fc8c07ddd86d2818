package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HarnessTest {
  @Test
  void extraJvmOptionsAreTheWordsOfTheVariable() {
    assertThat(Harness.extraJvmOptions(null)).isEmpty();
    assertThat(Harness.extraJvmOptions("  ")).isEmpty();
    assertThat(Harness.extraJvmOptions(" -XX:NativeMemoryTracking=summary \t -Xlog:gc:file=g%p\n"))
        .containsExactly("-XX:NativeMemoryTracking=summary", "-Xlog:gc:file=g%p");
  }

  @Test
  void weirLogSetsTheLibrarysLevelInTheWeirContendersOnly() {
    assertThat(Harness.weirLogOptions("weir", "info"))
        .containsExactly("-Dorg.slf4j.simpleLogger.log.dev.weir=info");
    assertThat(Harness.weirLogOptions("weir-session-only", "debug"))
        .containsExactly("-Dorg.slf4j.simpleLogger.log.dev.weir=debug");
    assertThat(Harness.weirLogOptions("kafka-streams", "info")).isEmpty();
    assertThat(Harness.weirLogOptions("flink", "info")).isEmpty();
    assertThat(Harness.weirLogOptions("weir", null)).isEmpty();
  }
}
