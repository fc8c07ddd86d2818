package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lag-aware placement of stateful tasks, standby replicas and warm-up replicas (the idea of Kafka's
 * KIP-441), as a pure function of what the group leader knows: the balanced assignment of active
 * tasks, which instance holds how recent a copy of each task's state, and the settings.
 *
 * <ol>
 *   <li><b>Actives.</b> A stateful task whose balanced target instance is more than {@code
 *       acceptable.recovery.lag} records behind stays with (or moves to) an instance that is within
 *       it: its previous owner if that one is still in the group, else the instance with the least
 *       lag. The target instance gets a warm-up replica instead. With no instance within the lag,
 *       the balanced target keeps the task (it must restore wherever it goes).
 *   <li><b>Standbys.</b> Each stateful task gets {@code num.standby.replicas} standbys on distinct
 *       instances other than its active's (instance, not thread: a machine that dies takes all its
 *       threads): caught-up instances first, then the least loaded, then the least lag. Fewer
 *       instances than that: as many as there are.
 *   <li><b>Warm-ups</b> go to the targets of step 1, at most {@code max.warmup.replicas} at a time;
 *       a target that already holds a standby of the task needs none. While any task waits for a
 *       warm-up the assignment is not balanced: the leader schedules a probing rebalance.
 * </ol>
 *
 * <p>Within an instance a replica goes to the member (stream thread) that held it before, so the
 * state stays with the thread that has it open; else to the member with the fewest tasks.
 * Deterministic for equal inputs. Stateless; thread-safe.
 */
final class ReplicaPlacement {
  /** Lag of an instance without any copy of a task's state. */
  static final long UNKNOWN_LAG = Long.MAX_VALUE;

  private ReplicaPlacement() {}

  /** A group member (one stream thread) and the instance (process) it runs in. */
  record Member(String memberId, String instanceId) {}

  /**
   * The settings of the placement.
   *
   * @param standbys {@code num.standby.replicas}
   * @param acceptableLag {@code acceptable.recovery.lag}, in changelog records
   * @param maxWarmups {@code max.warmup.replicas}, for the whole group
   */
  record Settings(int standbys, long acceptableLag, int maxWarmups) {}

  /**
   * What the group runs.
   *
   * @param actives member id to its active tasks
   * @param standbys member id to its standby replicas, warm-ups included
   * @param warmups member id to the warm-up replicas among its standbys
   * @param balanced false when a task stays away from its balanced target until a warm-up there
   *     catches up: a probing rebalance should follow
   */
  record Result(
      Map<String, List<TaskId>> actives,
      Map<String, Set<TaskId>> standbys,
      Map<String, Set<TaskId>> warmups,
      boolean balanced) {}

  /**
   * Places actives, standbys and warm-ups.
   *
   * @param members the group's members, every one with an entry in {@code proposed}
   * @param proposed the balanced assignment of active tasks, member id to tasks; not modified
   * @param stateful the tasks with state (the others need no replica and move freely)
   * @param previousActive task to the member that ran it before, for members still in the group
   * @param previousStandbys member id to the standbys it held before
   * @param lags instance id to task to the instance's lag ({@link #UNKNOWN_LAG} when absent)
   * @param settings the settings
   * @return the placement; never null
   */
  static Result place(
      List<Member> members,
      Map<String, List<TaskId>> proposed,
      Set<TaskId> stateful,
      Map<TaskId, String> previousActive,
      Map<String, Set<TaskId>> previousStandbys,
      Map<String, Map<TaskId, Long>> lags,
      Settings settings) {
    Map<String, Member> byId = new LinkedHashMap<>();
    Map<String, List<Member>> byInstance = new TreeMap<>();
    for (Member m : members) {
      byId.put(m.memberId(), m);
      byInstance.computeIfAbsent(m.instanceId(), i -> new ArrayList<>()).add(m);
    }
    Map<String, List<TaskId>> actives = new TreeMap<>();
    Map<TaskId, String> activeOf = new TreeMap<>();
    for (Member m : members) {
      List<TaskId> tasks = new ArrayList<>(proposed.getOrDefault(m.memberId(), List.of()));
      actives.put(m.memberId(), tasks);
      tasks.forEach(t -> activeOf.put(t, m.memberId()));
    }
    Map<String, Set<TaskId>> standbys = new TreeMap<>();
    Map<String, Set<TaskId>> warmups = new TreeMap<>();
    members.forEach(m -> standbys.put(m.memberId(), new TreeSet<>()));
    members.forEach(m -> warmups.put(m.memberId(), new TreeSet<>()));
    Lags lag = new Lags(lags);

    // 1. Actives stay with a caught-up copy; their balanced targets become warm-up candidates.
    Map<TaskId, String> warmupTargets = new TreeMap<>();
    for (TaskId t : new TreeSet<>(activeOf.keySet())) {
      if (!stateful.contains(t)) {
        continue;
      }
      String target = activeOf.get(t);
      String targetInstance = byId.get(target).instanceId();
      if (lag.of(targetInstance, t) <= settings.acceptableLag()) {
        continue;
      }
      String keeper =
          caughtUpKeeper(
              t,
              byId,
              byInstance,
              actives,
              previousActive,
              previousStandbys,
              lag,
              settings.acceptableLag());
      if (keeper == null) {
        continue; // nobody is caught up: the task restores wherever it goes
      }
      actives.get(target).remove(t);
      actives.get(keeper).add(t);
      activeOf.put(t, keeper);
      warmupTargets.put(t, target);
    }

    // 2. Standbys on other instances than the active's.
    Map<String, Integer> instanceLoad = new HashMap<>();
    for (TaskId t : new TreeSet<>(stateful)) {
      String active = activeOf.get(t);
      if (active == null) {
        continue;
      }
      String activeInstance = byId.get(active).instanceId();
      List<String> candidates = new ArrayList<>();
      for (String instance : byInstance.keySet()) {
        if (!instance.equals(activeInstance)) {
          candidates.add(instance);
        }
      }
      long acceptable = settings.acceptableLag();
      candidates.sort(
          Comparator.<String>comparingInt(i -> lag.of(i, t) <= acceptable ? 0 : 1)
              .thenComparingInt(i -> instanceLoad.getOrDefault(i, 0))
              .thenComparingLong(i -> lag.of(i, t))
              .thenComparing(Comparator.naturalOrder()));
      for (String instance :
          candidates.subList(0, Math.min(settings.standbys(), candidates.size()))) {
        String member =
            memberFor(
                t, byInstance.get(instance), previousStandbys, previousActive, actives, standbys);
        standbys.get(member).add(t);
        instanceLoad.merge(instance, 1, Integer::sum);
      }
    }

    // 3. Warm-ups, bounded, where a task should move once caught up.
    int budget = settings.maxWarmups();
    for (Map.Entry<TaskId, String> e : warmupTargets.entrySet()) {
      TaskId t = e.getKey();
      String targetInstance = byId.get(e.getValue()).instanceId();
      boolean hasStandby = false;
      for (Member m : byInstance.get(targetInstance)) {
        hasStandby |= standbys.get(m.memberId()).contains(t);
      }
      if (hasStandby || budget == 0) {
        continue;
      }
      budget--;
      String member =
          memberFor(
              t,
              byInstance.get(targetInstance),
              previousStandbys,
              previousActive,
              actives,
              standbys);
      standbys.get(member).add(t);
      warmups.get(member).add(t);
    }
    return new Result(actives, standbys, warmups, warmupTargets.isEmpty());
  }

  /**
   * The member that should keep running {@code t} because its instance is within the acceptable
   * lag: the previous owner if caught up, else a member of the caught-up instance with the least
   * lag (then the fewest actives); null when no instance is caught up.
   */
  private static String caughtUpKeeper(
      TaskId t,
      Map<String, Member> byId,
      Map<String, List<Member>> byInstance,
      Map<String, List<TaskId>> actives,
      Map<TaskId, String> previousActive,
      Map<String, Set<TaskId>> previousStandbys,
      Lags lag,
      long acceptable) {
    String previous = previousActive.get(t);
    if (previous != null
        && byId.containsKey(previous)
        && lag.of(byId.get(previous).instanceId(), t) <= acceptable) {
      return previous;
    }
    String best = null;
    for (String instance : byInstance.keySet()) {
      long l = lag.of(instance, t);
      if (l > acceptable) {
        continue;
      }
      if (best == null
          || l < lag.of(best, t)
          || (l == lag.of(best, t)
              && load(byInstance.get(instance), actives) < load(byInstance.get(best), actives))) {
        best = instance;
      }
    }
    if (best == null) {
      return null;
    }
    return memberFor(t, byInstance.get(best), previousStandbys, previousActive, actives, Map.of());
  }

  private static int load(List<Member> instance, Map<String, List<TaskId>> actives) {
    int n = 0;
    for (Member m : instance) {
      n += actives.get(m.memberId()).size();
    }
    return n;
  }

  /**
   * The member of an instance that should hold a copy of {@code t}: the one that held its standby,
   * else the one that ran it (their state is open or on that thread's disk claim), else the one
   * with the fewest actives plus standbys, then the smallest member id.
   */
  private static String memberFor(
      TaskId t,
      List<Member> instance,
      Map<String, Set<TaskId>> previousStandbys,
      Map<TaskId, String> previousActive,
      Map<String, List<TaskId>> actives,
      Map<String, Set<TaskId>> standbys) {
    for (Member m : instance) {
      if (previousStandbys.getOrDefault(m.memberId(), Set.of()).contains(t)) {
        return m.memberId();
      }
    }
    for (Member m : instance) {
      if (m.memberId().equals(previousActive.get(t))) {
        return m.memberId();
      }
    }
    Member best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (Member m : instance) {
      int load =
          actives.get(m.memberId()).size() + standbys.getOrDefault(m.memberId(), Set.of()).size();
      if (best == null
          || load < bestLoad
          || (load == bestLoad && m.memberId().compareTo(best.memberId()) < 0)) {
        best = m;
        bestLoad = load;
      }
    }
    return best.memberId();
  }

  /** Lag lookups with {@link #UNKNOWN_LAG} for what an instance did not report. */
  private record Lags(Map<String, Map<TaskId, Long>> lags) {
    long of(String instance, TaskId t) {
      return lags.getOrDefault(instance, Map.of()).getOrDefault(t, UNKNOWN_LAG);
    }
  }
}
