package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RocksDbSettingsTest {
  private final RocksDbSettings defaults = RocksDbSettings.of(Path.of("state"));

  @Test
  void defaultsAreABoundedBudgetHalfOfItForMemtables() {
    assertThat(defaults.stateDirectory()).isEqualTo(Path.of("state"));
    assertThat(defaults.memoryBytes()).isEqualTo(128L << 20);
    assertThat(defaults.writeBufferFraction()).isEqualTo(0.5);
    assertThat(defaults.optionsSetter()).isNotNull();
    assertThat(defaults.commitWal()).isTrue();
  }

  @Test
  void withersCopyAndValidate() {
    RocksDbOptionsSetter setter = new RocksDbOptionsSetter() {};
    RocksDbSettings tuned =
        defaults
            .withMemoryBytes(1L << 30)
            .withWriteBufferFraction(0.25)
            .withOptionsSetter(setter)
            .withCommitWal(false);
    assertThat(tuned.memoryBytes()).isEqualTo(1L << 30);
    assertThat(tuned.writeBufferFraction()).isEqualTo(0.25);
    assertThat(tuned.optionsSetter()).isSameAs(setter);
    assertThat(tuned.commitWal()).isFalse();
    assertThat(tuned.withMemoryBytes(1L << 29).commitWal())
        .as("kept by the other withers")
        .isFalse();
    assertThat(defaults.memoryBytes()).as("unchanged").isEqualTo(128L << 20);
    assertThat(tuned.toString()).contains("memoryBytes=1073741824");
  }

  @Test
  void invalidValuesAreRejected() {
    assertThatThrownBy(() -> defaults.withMemoryBytes(1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1000");
    for (double fraction : new double[] {0.0, 1.0, -0.1, Double.NaN}) {
      assertThatThrownBy(() -> defaults.withWriteBufferFraction(fraction))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> defaults.withOptionsSetter(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RocksDbSettings.of(null)).isInstanceOf(NullPointerException.class);
  }
}
