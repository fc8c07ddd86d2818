package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the active tasks go: a balanced, sticky target ({@link #balance}), and under cooperative
 * rebalancing the two-phase rule ({@link #holdBackMoves}) that keeps a task away from its new owner
 * until its old owner has let go of it. Pure functions of their arguments; thread-safe.
 */
final class TaskPlacement {
  private TaskPlacement() {}

  /** {@link #balance(List, List, Map)} when no member holds a task (eager, or a first start). */
  static Map<String, List<TaskId>> balance(
      List<TaskId> tasks, List<TaskAssignor.MemberInfo> members) {
    return balance(tasks, members, Map.of());
  }

  /**
   * Balanced, sticky assignment. Every member gets {@code floor(T/M)} or {@code ceil(T/M)} tasks,
   * and at most {@code ceil(T_s/M)} tasks of each sub-topology {@code s}, so that the work of every
   * stage (say, the sources and the windows) is spread over the members rather than one member
   * running all tasks of a stage. Previous owners keep their tasks within both limits: first the
   * members that hold a task now (a cooperative member's consumer still owns its partitions), then
   * those that only claim it (local state from an earlier run), so that a running task does not
   * move to an instance that merely has an old copy of its state. The rest go to the least-loaded
   * members that may still take a task of that sub-topology.
   *
   * @param tasks every task of the application; not null
   * @param members the members to place them on, each with the tasks it claims; not null
   * @param holders per task, the members whose consumers hold one of its partitions now; not null
   * @return each member's tasks, by member id, a list for every member; not null
   */
  static Map<String, List<TaskId>> balance(
      List<TaskId> tasks, List<TaskAssignor.MemberInfo> members, Map<TaskId, Set<String>> holders) {
    Map<String, List<TaskId>> result = new HashMap<>();
    members.forEach(m -> result.put(m.memberId(), new ArrayList<>()));
    if (members.isEmpty()) {
      return result;
    }
    int m = members.size();
    int floor = tasks.size() / m;
    int[] extras = {tasks.size() % m};
    Map<Integer, Integer> perSub = new HashMap<>();
    tasks.forEach(t -> perSub.merge(t.subTopology(), 1, Integer::sum));
    Map<String, Map<Integer, Integer>> subLoad = new HashMap<>();
    members.forEach(x -> subLoad.put(x.memberId(), new HashMap<>()));
    Map<TaskId, Integer> claims = new HashMap<>();
    members.forEach(x -> x.owned().forEach(t -> claims.merge(t, 1, Integer::sum)));
    Map<String, List<TaskId>> held = new HashMap<>();
    holders.forEach(
        (t, hs) -> hs.forEach(h -> held.computeIfAbsent(h, k -> new ArrayList<>()).add(t)));
    // A holder keeps first the tasks nobody else has state for: when balance takes some away, it
    // takes those another member claims (it has local state for them, from an earlier run).
    Map<String, TaskAssignor.MemberInfo> byId = new HashMap<>();
    members.forEach(x -> byId.put(x.memberId(), x));
    held.forEach(
        (h, ts) ->
            ts.sort(
                java.util.Comparator.comparing(
                        (TaskId t) -> claimedElsewhere(t, byId.get(h), claims))
                    .thenComparing(t -> t)));
    Set<TaskId> unassigned = new TreeSet<>(tasks);
    // Stage 0 keeps held tasks, stage 1 claimed ones; in each, pass 0 keeps previous tasks up to
    // the floor and pass 1 up to the ceiling for `extras` members.
    for (int stage = 0; stage < 2; stage++) {
      for (int pass = 0; pass < 2; pass++) {
        for (TaskAssignor.MemberInfo x : members) {
          List<TaskId> mine = result.get(x.memberId());
          java.util.Collection<TaskId> previous =
              stage == 0 ? held.getOrDefault(x.memberId(), List.of()) : new TreeSet<>(x.owned());
          for (TaskId t : previous) {
            int cap = pass == 0 ? floor : (extras[0] > 0 ? floor + 1 : floor);
            if (mine.size() >= cap
                || !unassigned.contains(t)
                || !underSubCap(subLoad.get(x.memberId()), t, perSub, m)) {
              continue;
            }
            if (mine.size() == floor) {
              extras[0]--; // this member is one of those that run floor + 1
            }
            take(x, t, result, subLoad);
            unassigned.remove(t);
          }
        }
      }
    }
    // Spread the rest: per sub-topology, round-robin over the least-loaded members.
    for (TaskId t : unassigned) {
      TaskAssignor.MemberInfo best = null;
      for (boolean strict : new boolean[] {true, false}) {
        for (TaskAssignor.MemberInfo x : members) {
          int load = result.get(x.memberId()).size();
          boolean canTake = load < floor || (load == floor && extras[0] > 0);
          if (!canTake || (strict && !underSubCap(subLoad.get(x.memberId()), t, perSub, m))) {
            continue;
          }
          if (best == null || better(x, best, t, result, subLoad)) {
            best = x;
          }
        }
        if (best != null) {
          break;
        }
      }
      if (best == null) {
        throw new IllegalStateException("balance: no member can take task " + t);
      }
      if (result.get(best.memberId()).size() == floor) {
        extras[0]--;
      }
      take(best, t, result, subLoad);
    }
    return result;
  }

  /**
   * The first phase of a cooperative move: removes from {@code target} every task that another
   * member still holds (its consumer owns a partition of the task). That member does not get the
   * task in this generation either, so it revokes it (committing its work first) and rejoins; the
   * task then has no holder and goes to its new owner in the follow-up rebalance. Two members never
   * process a task at once, and the new owner's committed-offset fetch sees the old owner's last
   * commit.
   *
   * @param target the balanced target, by member id; changed in place
   * @param holders per task, the members of this rebalance whose consumers hold one of its
   *     partitions now; tasks without holders are absent
   * @return the tasks held back, in task order; not null
   */
  static Set<TaskId> holdBackMoves(
      Map<String, List<TaskId>> target, Map<TaskId, Set<String>> holders) {
    Set<TaskId> held = new TreeSet<>();
    for (Map.Entry<String, List<TaskId>> e : target.entrySet()) {
      e.getValue()
          .removeIf(
              t -> {
                Set<String> h = holders.get(t);
                boolean moving = h != null && !h.isEmpty() && !h.contains(e.getKey());
                if (moving) {
                  held.add(t);
                }
                return moving;
              });
    }
    return held;
  }

  /** Whether a member other than holder {@code h} claims task {@code t}. */
  private static boolean claimedElsewhere(
      TaskId t, TaskAssignor.MemberInfo h, Map<TaskId, Integer> claims) {
    int n = claims.getOrDefault(t, 0);
    return n > (h != null && h.owned().contains(t) ? 1 : 0);
  }

  private static boolean underSubCap(
      Map<Integer, Integer> load, TaskId t, Map<Integer, Integer> perSub, int members) {
    int cap = (perSub.get(t.subTopology()) + members - 1) / members;
    return load.getOrDefault(t.subTopology(), 0) < cap;
  }

  /** Fewer tasks of this sub-topology first, then fewer tasks in total. */
  private static boolean better(
      TaskAssignor.MemberInfo x,
      TaskAssignor.MemberInfo best,
      TaskId t,
      Map<String, List<TaskId>> result,
      Map<String, Map<Integer, Integer>> subLoad) {
    int xs = subLoad.get(x.memberId()).getOrDefault(t.subTopology(), 0);
    int bs = subLoad.get(best.memberId()).getOrDefault(t.subTopology(), 0);
    if (xs != bs) {
      return xs < bs;
    }
    return result.get(x.memberId()).size() < result.get(best.memberId()).size();
  }

  private static void take(
      TaskAssignor.MemberInfo x,
      TaskId t,
      Map<String, List<TaskId>> result,
      Map<String, Map<Integer, Integer>> subLoad) {
    result.get(x.memberId()).add(t);
    subLoad.get(x.memberId()).merge(t.subTopology(), 1, Integer::sum);
  }
}
