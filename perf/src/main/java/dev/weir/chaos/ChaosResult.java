package dev.weir.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a chaos run did and found.
 *
 * @param verdict the verifier's verdict
 * @param killCrashes instances killed with {@code kill -9} at a random moment
 * @param inCommitCrashes instances halted at a commit point
 * @param brokerRestarts brokers killed and restarted
 * @param scaleEvents instances added or removed
 * @param pauses instances frozen and resumed
 * @param pausesInCommit of those, instances that froze between adding their offsets to a
 *     transaction and committing it
 * @param injectedFaults commit-path exceptions injected, by kind (from the instances' logs)
 * @param unexpectedExits instances that exited without being told to (Weir failures), described
 * @param problem why the run could not finish normally (stall, input failure, harness error), or
 *     null
 * @param duration wall-clock time of the whole run, cluster start included
 */
public record ChaosResult(
    Verifier.Verdict verdict,
    int killCrashes,
    int inCommitCrashes,
    int brokerRestarts,
    int scaleEvents,
    int pauses,
    int pausesInCommit,
    Map<String, Long> injectedFaults,
    List<String> unexpectedExits,
    String problem,
    Duration duration) {

  /** All crashes of instances. */
  public int crashes() {
    return killCrashes + inCommitCrashes;
  }

  /** True when nothing was lost, duplicated or wrong and the run finished normally. */
  public boolean ok() {
    return verdict.ok() && problem == null;
  }

  /** The last line {@code chaos.sh} prints. */
  public String summaryLine() {
    return "chaos: records="
        + verdict.records()
        + " crashes="
        + crashes()
        + " broker-restarts="
        + brokerRestarts
        + " lost="
        + verdict.lost()
        + " duplicated="
        + verdict.duplicated()
        + " wrong="
        + verdict.wrong();
  }
}
