package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RestoreCheckTest {
  @Test
  void restoreNeedsEveryKeyRestoredAndInTheStore() {
    assertThat(RestoreCheck.restored(100, 100, 100).ok()).isTrue();
    assertThat(RestoreCheck.restored(100, 120, 100).ok()).isTrue();
    assertThat(RestoreCheck.restored(100, 99, 100).ok()).isFalse();
    assertThat(RestoreCheck.restored(100, 100, 99).summary())
        .isEqualTo("store holds 99 of 100 keys after restoring 100");
  }

  @Test
  void recoveryRestoresAtMostOneRecordPerKey() {
    assertThat(RestoreCheck.recovered(100, 0, OptionalLong.empty()).summary())
        .isEqualTo("ok: 0 changelog records restored");
    assertThat(RestoreCheck.recovered(100, 100, OptionalLong.empty()).ok()).isTrue();
    assertThat(RestoreCheck.recovered(100, 101, OptionalLong.empty()).summary())
        .isEqualTo("restored 101 changelog records, expected 0..100");
    // A contender that could not tell what it restored does not pass.
    assertThat(RestoreCheck.recovered(100, -1, OptionalLong.empty()).ok()).isFalse();
  }

  @Test
  void recoveryCountedAfterClosingNeedsEveryKey() {
    assertThat(RestoreCheck.recovered(100, 0, OptionalLong.of(100)).summary())
        .isEqualTo("ok: 0 changelog records restored, 100 entries after closing");
    assertThat(RestoreCheck.recovered(100, 0, OptionalLong.of(99)).summary())
        .isEqualTo("store holds 99 of 100 keys after restoring 0 and closing");
    assertThat(RestoreCheck.recovered(100, 101, OptionalLong.of(100)).ok()).isFalse();
  }
}
