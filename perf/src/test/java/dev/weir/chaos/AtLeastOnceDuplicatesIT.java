package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Proves the verifier can fail: under at-least-once, an instance halted after its outputs were
 * acknowledged but before its input offsets were committed ({@link CrashSwitch.Point#AFTER_FLUSH})
 * must reprocess those inputs, so the verifier must report duplicates. The crash is placed, not
 * drawn: at 30% of the run, so later records of every partition follow and the reprocessing always
 * happens before the run ends.
 */
@DisabledIfSystemProperty(named = "weir.fault.skip", matches = "|true")
class AtLeastOnceDuplicatesIT {
  @Test
  void verifierReportsTheDuplicatesOfAnAtLeastOnceCrash() throws Exception {
    ChaosConfig config =
        ChaosConfig.parse(
            new String[] {
              "--profile", "ci",
              "--guarantee", "at_least_once",
              // The pipeline of the test's expectations: the join stage reports its own
              // duplicates first.
              "--pipeline", "count-and-windows",
              "--brokers", "1",
              "--records", "10000",
              "--rate", "500",
              "--crashes", "1",
              "--broker-restarts", "0",
              "--scale-events", "0",
              "--pauses", "0",
              "--commit-fault-rate", "0"
            },
            Path.of("target", "chaos-it", "at-least-once-" + System.currentTimeMillis()));
    List<FaultSchedule.Event> crash =
        List.of(
            new FaultSchedule.Event(
                0.3, FaultSchedule.Type.CRASH_IN_COMMIT, 0, CrashSwitch.Point.AFTER_FLUSH, 0));
    ChaosResult result = new ChaosRun(config, crash, System.out).run();

    assertThat(result.inCommitCrashes()).as("halted after the flush").isEqualTo(1);
    assertThat(result.problem()).as("problem").isNull();
    assertThat(result.verdict().lost()).as("lost").isZero();
    assertThat(result.verdict().duplicated()).as("duplicated").isPositive();
    assertThat(result.verdict().details()).contains("first duplicates: seq ");
    assertThat(result.ok()).isFalse();
    assertThat(result.summaryLine()).doesNotContain("duplicated=0");
  }
}
