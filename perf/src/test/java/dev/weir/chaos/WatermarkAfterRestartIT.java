package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Windows must fire after a restart that follows the last input. The input (with its end-of-input
 * sentinels, far ahead in event time) is written at once and processed within seconds; the
 * watermark interval is 20 s, so offsets, including the sentinels', are committed long before a
 * periodic watermark emission. The only instance is then killed and restarted. It must resume from
 * event-time state that matches its committed offsets: the sentinels were consumed, so every window
 * must close, with no more input to come.
 */
@DisabledIfSystemProperty(named = "weir.fault.skip", matches = "|true")
class WatermarkAfterRestartIT {
  @Test
  void windowsCloseAfterARestartAtTheEndOfTheInput() throws Exception {
    ChaosConfig config =
        ChaosConfig.parse(
            new String[] {
              "--profile", "ci",
              "--brokers", "1",
              "--instances", "1",
              "--records", "4000",
              "--rate", "0",
              "--window", "4000",
              "--watermark-interval-ms", "20000",
              "--crashes", "1",
              "--broker-restarts", "0",
              "--scale-events", "0",
              "--pauses", "0",
              "--commit-fault-rate", "0",
              "--slow-instances", "0",
              "--stall-timeout-s", "45"
            },
            Path.of("target", "chaos-it", "watermark-restart-" + System.currentTimeMillis()));
    List<FaultSchedule.Event> crashAtTheEnd =
        List.of(new FaultSchedule.Event(1.0, FaultSchedule.Type.CRASH_KILL, 0, null, 0));
    ChaosResult result = new ChaosRun(config, crashAtTheEnd, System.out).run();

    assertThat(result.killCrashes()).as("crashes").isEqualTo(1);
    assertThat(result.problem()).as("problem").isNull();
    assertThat(result.verdict().ok())
        .as("%s%n%s", result.verdict().summary(), result.verdict().details())
        .isTrue();
  }
}
