package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * A zombie commits after its task moved: an instance freezes between adding its input offsets to a
 * transaction (which also holds state changes) and committing it, for longer than its session
 * timeout (6 s) and shorter than its transaction timeout (10 s). The other instance takes the task
 * over, restores its state from the changelog, and finds the input offsets pending (KIP-447: it
 * waits for them). The zombie wakes up and commits. The new owner must continue from the state
 * <em>and</em> the offsets of that transaction; counts that miss its state changes are wrong.
 */
@DisabledIfSystemProperty(named = "weir.fault.skip", matches = "|true")
class ZombieCommitIT {
  @Test
  void newOwnerSeesTheStateOfTheZombiesLateCommit() throws Exception {
    ChaosConfig config =
        ChaosConfig.parse(
            new String[] {
              "--profile", "ci",
              "--brokers", "1",
              "--instances", "2",
              "--records", "8000",
              // All input at once, and a slow stateful step: the stateless sub-topology has read
              // everything long before the freeze, so the zombie's transaction holds offsets of the
              // repartition topic only, and the new owner's restore is the first thing to meet it.
              "--rate", "0",
              "--window", "8000",
              "--slow-instances", "2",
              "--slow-every", "1",
              "--slow-ms", "1",
              "--crashes", "0",
              "--broker-restarts", "0",
              "--scale-events", "0",
              "--pauses", "1",
              "--commit-fault-rate", "0"
            },
            Path.of("target", "chaos-it", "zombie-commit-" + System.currentTimeMillis()));
    List<FaultSchedule.Event> freeze =
        List.of(
            new FaultSchedule.Event(
                0.3,
                FaultSchedule.Type.PAUSE_IN_COMMIT,
                0,
                CrashSwitch.Point.BEFORE_COMMIT,
                8_500));
    ChaosResult result = new ChaosRun(config, freeze, System.out).run();

    assertThat(result.pausesInCommit()).as("froze mid-commit").isEqualTo(1);
    assertThat(result.problem()).as("problem").isNull();
    assertThat(result.verdict().ok())
        .as("%s%n%s", result.verdict().summary(), result.verdict().details())
        .isTrue();
  }
}
