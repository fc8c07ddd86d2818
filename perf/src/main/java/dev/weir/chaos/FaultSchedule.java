package dev.weir.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When each fault of a run happens: at a point of progress (a share of the input verified in the
 * output), drawn uniformly from the seed. Which instance a fault hits is drawn from the event's own
 * number when it happens, among the instances running then.
 */
final class FaultSchedule {
  private FaultSchedule() {}

  /** What happens. */
  enum Type {
    /** {@code kill -9} of an instance at a random moment, then a restart with its state. */
    CRASH_KILL,
    /** An instance halts at a commit point ({@link CrashSwitch}), then restarts with its state. */
    CRASH_IN_COMMIT,
    /** {@code kill -9} of a broker, restarted after a while. */
    BROKER_RESTART,
    /** A new instance joins (rebalance). */
    SCALE_OUT,
    /** An instance leaves cleanly (rebalance). */
    SCALE_IN,
    /** An instance freezes (SIGSTOP) past its session timeout, then resumes as a zombie. */
    PAUSE,
    /**
     * Exactly-once: an instance freezes itself between {@code sendOffsetsToTransaction} and {@code
     * commitTransaction} with state changes in the transaction, past its session timeout, then
     * resumes and commits (KIP-447 allows it) while another instance owns its tasks.
     */
    PAUSE_IN_COMMIT
  }

  /**
   * One fault.
   *
   * @param at the progress (0 to 1) at which it happens
   * @param type what happens
   * @param pick drawn number that picks the instance or broker
   * @param point the commit point, for {@link Type#CRASH_IN_COMMIT}
   * @param durationMs how long, for {@link Type#PAUSE} and {@link Type#BROKER_RESTART}
   */
  record Event(double at, Type type, long pick, CrashSwitch.Point point, long durationMs) {
    @Override
    public String toString() {
      String s = String.format(java.util.Locale.ROOT, "%s at %.1f%%", type, at * 100);
      if (type == Type.CRASH_IN_COMMIT) {
        s += " " + point;
      }
      if (type == Type.PAUSE || type == Type.PAUSE_IN_COMMIT || type == Type.BROKER_RESTART) {
        s += " for " + durationMs + " ms";
      }
      return s;
    }
  }

  /** Draws the run's events, sorted by progress. */
  static List<Event> of(ChaosConfig c) {
    SplittableRandom r = new SplittableRandom(Workload.mix(c.seed() ^ 0x5EED_FA17L));
    List<Event> events = new ArrayList<>();
    CrashSwitch.Point[] points = CrashSwitch.Point.forGuarantee(c.exactlyOnce());
    int inCommit = (int) Math.round(c.crashes() * c.inCommitShare());
    for (int i = 0; i < c.crashes(); i++) {
      boolean commit = i < inCommit;
      events.add(
          new Event(
              at(r),
              commit ? Type.CRASH_IN_COMMIT : Type.CRASH_KILL,
              r.nextLong(),
              commit ? points[r.nextInt(points.length)] : null,
              0));
    }
    for (int i = 0; i < c.brokerRestarts(); i++) {
      // Down for 2 to 15 s: shorter and longer than the brokers' session timeout (4 s).
      events.add(
          new Event(at(r), Type.BROKER_RESTART, r.nextLong(), null, 2_000 + r.nextInt(13_000)));
    }
    List<Event> scale = new ArrayList<>();
    for (int i = 0; i < c.scaleEvents(); i++) {
      scale.add(new Event(at(r), Type.SCALE_OUT, r.nextLong(), null, 0));
    }
    scale.sort(Comparator.comparingDouble(Event::at));
    for (int i = 0; i < scale.size(); i++) {
      Event e = scale.get(i);
      events.add(new Event(e.at(), i % 2 == 0 ? Type.SCALE_OUT : Type.SCALE_IN, e.pick(), null, 0));
    }
    for (int i = 0; i < c.pauses(); i++) {
      // Around the session timeout (6 s) and the transaction timeout (10 s): both sides of each.
      boolean midCommit = c.exactlyOnce() && r.nextBoolean();
      events.add(
          new Event(
              at(r),
              midCommit ? Type.PAUSE_IN_COMMIT : Type.PAUSE,
              r.nextLong(),
              midCommit ? CrashSwitch.Point.BEFORE_COMMIT : null,
              7_000 + r.nextInt(8_000)));
    }
    events.sort(Comparator.comparingDouble(Event::at));
    return events;
  }

  private static double at(SplittableRandom r) {
    return 0.03 + r.nextDouble() * 0.92;
  }
}
