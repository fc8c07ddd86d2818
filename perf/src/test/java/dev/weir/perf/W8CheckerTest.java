package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class W8CheckerTest {
  @Test
  void everyKeysCountsOnceAndInOrderPass() {
    W8Checker c = new W8Checker(2);
    out(c, 0, 1);
    out(c, 1, 1);
    out(c, 0, 2);
    out(c, 0, 3);
    assertThat(c.seen()).isEqualTo(4);
    assertThat(c.verdict(new int[] {3, 1}))
        .isEqualTo(new OutputChecker.Verdict(true, "ok: 4 outputs exactly once, in order"));
  }

  @Test
  void aRepeatedCountIsADuplicate() {
    W8Checker c = new W8Checker(1);
    out(c, 0, 1);
    out(c, 0, 2);
    out(c, 0, 2);
    assertThat(c.seen()).isEqualTo(2);
    assertThat(c.verdict(new int[] {2}))
        .isEqualTo(
            new OutputChecker.Verdict(
                false, "FAILED: duplicates=1 of 2 (first: k000000 counted 2 again (after 2))"));
  }

  @Test
  void aSkippedCountAndAMissingTailAreLost() {
    W8Checker c = new W8Checker(2);
    out(c, 0, 1);
    out(c, 0, 3);
    out(c, 1, 1);
    assertThat(c.verdict(new int[] {3, 2}))
        .isEqualTo(
            new OutputChecker.Verdict(
                false, "FAILED: missing=2 of 5 (first: k000000 jumped from 1 to 3)"));
  }

  @Test
  void countsBeyondTheInputAndForeignRecordsAreReported() {
    W8Checker c = new W8Checker(1);
    out(c, 0, 1);
    out(c, 0, 2);
    c.accept("x1".getBytes(StandardCharsets.UTF_8), new byte[8]);
    c.accept(W8Checker.keyName(0).getBytes(StandardCharsets.UTF_8), null);
    assertThat(c.verdict(new int[] {1}))
        .isEqualTo(
            new OutputChecker.Verdict(
                false,
                "FAILED: counted beyond the input=1, wrong=2 of 1 (first: unexpected record"
                    + " key=x1)"));
  }

  private static void out(W8Checker c, int key, long count) {
    c.accept(
        W8Checker.keyName(key).getBytes(StandardCharsets.UTF_8),
        ByteBuffer.allocate(8).putLong(count).array());
  }
}
