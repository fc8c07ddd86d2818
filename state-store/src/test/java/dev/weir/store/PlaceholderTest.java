package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaceholderTest {
  @Test
  void builds() {
    assertThat(1 + 1).isEqualTo(2);
  }
}
