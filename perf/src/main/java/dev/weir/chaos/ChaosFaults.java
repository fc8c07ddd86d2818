package dev.weir.chaos;

import dev.weir.testkit.faults.Call;
import dev.weir.testkit.faults.Fault;
import dev.weir.testkit.faults.FaultInjector;
import dev.weir.testkit.faults.Operation;
import dev.weir.testkit.faults.Trigger;

/**
 * The faults a chaos instance injects into the producers Weir creates, as rules of the testkit's
 * {@link FaultInjector}:
 *
 * <ul>
 *   <li>random exceptions on the commit path, each of the {@link Kind}s with its own probability
 *       per call, drawn from the seed and the producer's number;
 *   <li>a {@link CrashSwitch} checked at each {@link CrashSwitch.Point} when outputs were sent
 *       since the last commit, so a crash there always leaves outputs behind.
 * </ul>
 *
 * <p>Each injected exception is logged to stdout as {@code CHAOS-FAULT <kind> in <producer>} so the
 * driver can count them.
 */
final class ChaosFaults {
  private ChaosFaults() {}

  /** The exceptions a chaos producer throws, each named in its {@code CHAOS-FAULT} line. */
  enum Kind {
    /** {@code beginTransaction} throws {@code ProducerFencedException} (rate / 4). */
    FENCED_ON_BEGIN,
    /** {@code sendOffsetsToTransaction} throws {@code CommitFailedException} (rate / 4). */
    OFFSETS_COMMIT_FAILED,
    /** {@code sendOffsetsToTransaction} throws {@code TimeoutException} (rate / 4). */
    OFFSETS_TIMEOUT,
    /** {@code commitTransaction} throws {@code ProducerFencedException} (rate / 4). */
    FENCED_ON_COMMIT,
    /** {@code commitTransaction} throws an abortable {@code KafkaException} (rate / 4). */
    ABORTABLE_ON_COMMIT,
    /** {@code commitTransaction} times out before the commit reached the coordinator (rate / 4). */
    COMMIT_TIMEOUT_NOT_COMMITTED,
    /** {@code commitTransaction} commits, then reports a timeout: outcome unknown (rate / 4). */
    COMMIT_TIMEOUT_BUT_COMMITTED
  }

  /**
   * Builds the rules.
   *
   * @param crashSwitch the switch the driver arms to crash this instance in a commit
   * @param rate probability per {@code commitTransaction} of an injected exception; {@code
   *     sendOffsetsToTransaction} fails with half of it, {@code beginTransaction} with a quarter; 0
   *     for none
   * @param seed seeds each producer's random faults, together with the producer's number
   * @return the injector; wrap producers with {@link FaultInjector#producer}
   */
  static FaultInjector injector(CrashSwitch crashSwitch, double rate, long seed) {
    Trigger quarter = Trigger.withProbability(rate / 4);
    return FaultInjector.builder()
        .seed(seed)
        .onInjection(i -> System.out.println("CHAOS-FAULT " + i.fault() + " in " + i.client()))
        .on(Operation.BEGIN_TRANSACTION, quarter, Fault.fenced().named(Kind.FENCED_ON_BEGIN.name()))
        .on(
            Operation.SEND_OFFSETS_TO_TRANSACTION,
            Trigger.always(),
            crash(crashSwitch, CrashSwitch.Point.BEFORE_OFFSETS))
        .on(
            Operation.SEND_OFFSETS_TO_TRANSACTION,
            quarter,
            Fault.commitFailed().named(Kind.OFFSETS_COMMIT_FAILED.name()))
        .on(
            Operation.SEND_OFFSETS_TO_TRANSACTION,
            quarter,
            Fault.timeout().named(Kind.OFFSETS_TIMEOUT.name()))
        .on(
            Operation.COMMIT_TRANSACTION,
            Trigger.always(),
            crash(crashSwitch, CrashSwitch.Point.BEFORE_COMMIT))
        .on(
            Operation.COMMIT_TRANSACTION,
            quarter,
            Fault.fenced().named(Kind.FENCED_ON_COMMIT.name()))
        .on(
            Operation.COMMIT_TRANSACTION,
            quarter,
            Fault.abortableError().named(Kind.ABORTABLE_ON_COMMIT.name()))
        .on(
            Operation.COMMIT_TRANSACTION,
            quarter,
            Fault.timeout().named(Kind.COMMIT_TIMEOUT_NOT_COMMITTED.name()))
        .on(
            Operation.COMMIT_TRANSACTION,
            quarter,
            Fault.unknownOutcome().named(Kind.COMMIT_TIMEOUT_BUT_COMMITTED.name()))
        // After the faults above: a commit that threw never reaches its AFTER_COMMIT point.
        .on(
            Operation.COMMIT_TRANSACTION,
            Trigger.always(),
            crashAfter(crashSwitch, CrashSwitch.Point.AFTER_COMMIT))
        .on(
            Operation.FLUSH,
            Trigger.always(),
            crashAfter(crashSwitch, CrashSwitch.Point.AFTER_FLUSH))
        .build();
  }

  private static Fault crash(CrashSwitch crashSwitch, CrashSwitch.Point point) {
    return Fault.running(call -> reached(crashSwitch, point, call));
  }

  private static Fault crashAfter(CrashSwitch crashSwitch, CrashSwitch.Point point) {
    return Fault.runningAfterCall(call -> reached(crashSwitch, point, call));
  }

  private static void reached(CrashSwitch crashSwitch, CrashSwitch.Point point, Call call) {
    if (call.sentSinceCommit() > 0) {
      boolean statePending =
          call.topicsSinceCommit().stream().anyMatch(t -> t.endsWith("-changelog"));
      crashSwitch.reached(point, call.client(), statePending);
    }
  }
}
