package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChaosConfigTest {
  private static final Path DIR = Path.of("target", "x");

  @Test
  void optionsOverrideTheProfile() {
    ChaosConfig c =
        ChaosConfig.parse(
            new String[] {
              "--profile",
              "ci",
              "--records",
              "1000000",
              "--crashes",
              "30",
              "--seed",
              "9",
              "--guarantee",
              "at_least_once"
            },
            DIR);
    assertThat(c.records()).isEqualTo(1_000_000);
    assertThat(c.crashes()).isEqualTo(30);
    assertThat(c.seed()).isEqualTo(9);
    assertThat(c.exactlyOnce()).isFalse();
    assertThat(c.brokerRestarts()).isEqualTo(ChaosConfig.profile("ci", DIR).brokerRestarts());
    assertThat(c.workDir()).isEqualTo(DIR);
  }

  @Test
  void everyProfileIsValid() {
    for (String p : new String[] {"ci", "default", "soak"}) {
      ChaosConfig c = ChaosConfig.profile(p, DIR);
      assertThat(c.brokers()).isEqualTo(3);
      assertThat(c.exactlyOnce()).isTrue();
    }
    assertThat(ChaosConfig.profile("soak", DIR).records())
        .isGreaterThan(ChaosConfig.profile("default", DIR).records());
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> ChaosConfig.parse(new String[] {"--crashs", "3"}, DIR))
        .hasMessageContaining("[crashs]");
    assertThatThrownBy(() -> ChaosConfig.parse(new String[] {"--guarantee", "twice"}, DIR))
        .hasMessageContaining("--guarantee");
    assertThatThrownBy(
            () -> ChaosConfig.parse(new String[] {"--brokers", "1", "--broker-restarts", "1"}, DIR))
        .hasMessageContaining("--brokers 3");
    assertThatThrownBy(() -> ChaosConfig.parse(new String[] {"--window-contents", "set"}, DIR))
        .hasMessageContaining("--window-contents must be aggregate or list");
    assertThat(ChaosConfig.parse(new String[] {"--window-contents", "list"}, DIR).windowContents())
        .isEqualTo("list");
    assertThat(ChaosConfig.profile("default", DIR).windowContents()).isEqualTo("aggregate");
    assertThat(ChaosConfig.parse(new String[0], DIR).commitWal()).isTrue();
    assertThat(ChaosConfig.parse(new String[] {"--commit-wal", "false"}, DIR).commitWal())
        .isFalse();
    assertThatThrownBy(() -> ChaosConfig.parse(new String[] {"--commit-wal", "no"}, DIR))
        .hasMessageContaining("--commit-wal must be true or false");
    assertThatThrownBy(() -> ChaosConfig.parse(new String[] {"--restore", "raw"}, DIR))
        .hasMessageContaining("--restore must be default or bulk-raw");
    assertThat(ChaosConfig.parse(new String[] {"--restore", "bulk-raw"}, DIR).bulkRawRestore())
        .isTrue();
    assertThat(ChaosConfig.profile("default", DIR).bulkRawRestore()).isFalse();
    assertThatThrownBy(() -> ChaosConfig.parse(new String[] {"--records"}, DIR))
        .hasMessageContaining("--records");
    assertThatThrownBy(() -> ChaosConfig.parse(new String[] {"--records", "many"}, DIR))
        .hasMessageContaining("not a number");
  }
}
