package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.internal.runtime.ReplicaPlacement.Member;
import dev.weir.internal.runtime.ReplicaPlacement.Result;
import dev.weir.internal.runtime.ReplicaPlacement.Settings;
import dev.weir.internal.task.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReplicaPlacementTest {
  private static final TaskId T0 = new TaskId(0, 0);
  private static final TaskId T1 = new TaskId(0, 1);
  private static final TaskId T2 = new TaskId(0, 2);
  private static final TaskId T3 = new TaskId(0, 3);

  private static List<Member> members(String... memberAtInstance) {
    List<Member> out = new ArrayList<>();
    for (String s : memberAtInstance) {
      String[] p = s.split("@");
      out.add(new Member(p[0], p[1]));
    }
    return out;
  }

  /** The instance of each member's copy, for assertions. */
  private static String instanceOf(List<Member> members, String memberId) {
    return members.stream()
        .filter(m -> m.memberId().equals(memberId))
        .findFirst()
        .orElseThrow()
        .instanceId();
  }

  private static Map<String, Map<TaskId, Long>> lags(Object... instanceTaskLag) {
    Map<String, Map<TaskId, Long>> out = new HashMap<>();
    for (int i = 0; i < instanceTaskLag.length; i += 3) {
      out.computeIfAbsent((String) instanceTaskLag[i], k -> new HashMap<>())
          .put((TaskId) instanceTaskLag[i + 1], ((Number) instanceTaskLag[i + 2]).longValue());
    }
    return out;
  }

  @Test
  void aStandbyIsNeverOnItsActivesInstanceAndEachGoesToADistinctInstance() {
    Random r = new Random(11);
    for (int round = 0; round < 300; round++) {
      int instances = 1 + r.nextInt(5);
      List<Member> ms = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        int threads = 1 + r.nextInt(3);
        for (int k = 0; k < threads; k++) {
          ms.add(new Member("m" + i + "-" + k, "i" + i));
        }
      }
      List<TaskId> tasks = new ArrayList<>();
      for (int p = 0; p < 1 + r.nextInt(12); p++) {
        tasks.add(new TaskId(r.nextInt(2), p));
      }
      Map<String, List<TaskId>> proposed = new HashMap<>();
      ms.forEach(m -> proposed.put(m.memberId(), new ArrayList<>()));
      for (TaskId t : tasks) {
        proposed.get(ms.get(r.nextInt(ms.size())).memberId()).add(t);
      }
      Map<String, Map<TaskId, Long>> lags = new HashMap<>();
      for (int i = 0; i < instances; i++) {
        for (TaskId t : tasks) {
          if (r.nextBoolean()) {
            lags.computeIfAbsent("i" + i, k -> new HashMap<>()).put(t, (long) r.nextInt(200));
          }
        }
      }
      int standbys = r.nextInt(3);
      Result res =
          ReplicaPlacement.place(
              ms,
              proposed,
              new HashSet<>(tasks),
              Map.of(),
              Map.of(),
              lags,
              new Settings(standbys, 100, r.nextInt(3)));
      Map<TaskId, String> activeInstance = new HashMap<>();
      res.actives().forEach((m, ts) -> ts.forEach(t -> activeInstance.put(t, instanceOf(ms, m))));
      assertThat(activeInstance.keySet()).containsExactlyInAnyOrderElementsOf(new HashSet<>(tasks));
      assertThat(res.actives().values().stream().mapToInt(List::size).sum())
          .isEqualTo(tasks.size());
      Map<TaskId, List<String>> copies = new HashMap<>();
      res.standbys()
          .forEach(
              (m, ts) ->
                  ts.forEach(
                      t ->
                          copies
                              .computeIfAbsent(t, k -> new ArrayList<>())
                              .add(instanceOf(ms, m))));
      for (TaskId t : tasks) {
        List<String> at = copies.getOrDefault(t, List.of());
        assertThat(at).as("replicas of %s", t).doesNotContain(activeInstance.get(t));
        assertThat(new HashSet<>(at)).as("distinct instances").hasSameSizeAs(at);
        // Standbys proper: as many as asked for, or one per other instance (warm-ups add more).
        long proper =
            at.size() - res.warmups().values().stream().filter(w -> w.contains(t)).count();
        assertThat(proper).isEqualTo(Math.min(standbys, instances - 1));
      }
    }
  }

  @Test
  void aFailedTaskMovesToTheInstanceWithItsStandbyAndTheBalancedTargetWarmsUp() {
    // Instance a died; b and c remain. The balance proposed T0 for b, but c holds its standby.
    List<Member> ms = members("b1@b", "c1@c");
    Map<String, List<TaskId>> proposed = Map.of("b1", List.of(T0, T1), "c1", List.of(T2));
    Result res =
        ReplicaPlacement.place(
            ms,
            proposed,
            Set.of(T0, T1, T2),
            Map.of(T1, "b1", T2, "c1"),
            Map.of("c1", Set.of(T0)),
            lags("b", T1, 0, "c", T2, 0, "c", T0, 40),
            new Settings(1, 10_000, 2));
    assertThat(res.actives()).isEqualTo(Map.of("b1", List.of(T1), "c1", List.of(T2, T0)));
    // b gets T0's standby, which is also its warm-up: no warm-up replica on top.
    assertThat(res.warmups()).isEqualTo(Map.of("b1", Set.of(), "c1", Set.of()));
    assertThat(res.standbys()).isEqualTo(Map.of("b1", Set.of(T0, T2), "c1", Set.of(T1)));
    assertThat(res.balanced()).isFalse();
  }

  @Test
  void aNewInstanceGetsWarmUpsNotTasksAndAtMostMaxWarmups() {
    // a ran all four tasks; the balance gives three of them to the new instance n.
    List<Member> ms = members("a1@a", "n1@n");
    Map<String, List<TaskId>> proposed = Map.of("a1", List.of(T0), "n1", List.of(T1, T2, T3));
    Map<TaskId, String> previous = Map.of(T0, "a1", T1, "a1", T2, "a1", T3, "a1");
    Result res =
        ReplicaPlacement.place(
            ms,
            proposed,
            Set.of(T0, T1, T2, T3),
            previous,
            Map.of(),
            lags("a", T0, 0, "a", T1, 0, "a", T2, 0, "a", T3, 0),
            new Settings(0, 10_000, 2));
    assertThat(res.actives()).isEqualTo(Map.of("a1", List.of(T0, T1, T2, T3), "n1", List.of()));
    assertThat(res.warmups()).isEqualTo(Map.of("a1", Set.of(), "n1", Set.of(T1, T2)));
    assertThat(res.standbys()).isEqualTo(res.warmups());
    assertThat(res.balanced()).isFalse();
  }

  @Test
  void aWarmUpWithinTheAcceptableLagTakesTheTaskAndTheAssignmentIsBalanced() {
    List<Member> ms = members("a1@a", "n1@n");
    Map<String, List<TaskId>> proposed = Map.of("a1", List.of(T0), "n1", List.of(T1));
    Map<TaskId, String> previous = Map.of(T0, "a1", T1, "a1");
    Result res =
        ReplicaPlacement.place(
            ms,
            proposed,
            Set.of(T0, T1),
            previous,
            Map.of("n1", Set.of(T1)),
            lags("a", T0, 0, "a", T1, 0, "n", T1, 100),
            new Settings(0, 100, 2));
    assertThat(res.actives()).isEqualTo(Map.of("a1", List.of(T0), "n1", List.of(T1)));
    assertThat(res.warmups()).isEqualTo(Map.of("a1", Set.of(), "n1", Set.of()));
    assertThat(res.balanced()).isTrue();
  }

  @Test
  void oneRecordMoreThanTheAcceptableLagKeepsTheTaskWithItsCaughtUpOwner() {
    List<Member> ms = members("a1@a", "n1@n");
    Result res =
        ReplicaPlacement.place(
            ms,
            Map.of("a1", List.of(T0), "n1", List.of(T1)),
            Set.of(T0, T1),
            Map.of(T0, "a1", T1, "a1"),
            Map.of("n1", Set.of(T1)),
            lags("a", T0, 0, "a", T1, 0, "n", T1, 101),
            new Settings(0, 100, 2));
    assertThat(res.actives()).isEqualTo(Map.of("a1", List.of(T0, T1), "n1", List.of()));
    assertThat(res.warmups()).isEqualTo(Map.of("a1", Set.of(), "n1", Set.of(T1)));
    assertThat(res.balanced()).isFalse();
  }

  @Test
  void aTargetHoldingAStandbyNeedsNoWarmUpSoTheBudgetGoesToOthers() {
    // Three instances, one standby each; tasks T0..T2 should leave a for n, which holds T0's
    // standby already (but too far behind to take it).
    List<Member> ms = members("a1@a", "b1@b", "n1@n");
    Result res =
        ReplicaPlacement.place(
            ms,
            Map.of("a1", List.of(), "b1", List.of(T3), "n1", List.of(T0, T1, T2)),
            Set.of(T0, T1, T2, T3),
            Map.of(T0, "a1", T1, "a1", T2, "a1", T3, "b1"),
            Map.of("n1", Set.of(T0), "b1", Set.of(T1, T2), "a1", Set.of(T3)),
            lags(
                "a", T0, 0, "a", T1, 0, "a", T2, 0, "a", T3, 3, "b", T1, 5, "b", T2, 5, "b", T3, 0,
                "n", T0, 500),
            new Settings(1, 10, 1));
    assertThat(res.actives().get("n1")).isEmpty();
    assertThat(res.actives().get("a1")).containsExactlyInAnyOrder(T0, T1, T2);
    // T0: n's standby warms it; the one warm-up goes to T1; T2 waits for the next probing round.
    assertThat(res.standbys().get("n1")).containsExactlyInAnyOrder(T0, T1);
    assertThat(res.warmups().get("n1")).containsExactly(T1);
    assertThat(res.balanced()).isFalse();
  }

  @Test
  void withNoCaughtUpCopyTheBalancedTargetKeepsTheTask() {
    List<Member> ms = members("a1@a", "b1@b");
    Result res =
        ReplicaPlacement.place(
            ms,
            Map.of("a1", List.of(T0), "b1", List.of(T1)),
            Set.of(T0, T1),
            Map.of(),
            Map.of(),
            lags("a", T1, 50_000),
            new Settings(1, 10_000, 2));
    assertThat(res.actives()).isEqualTo(Map.of("a1", List.of(T0), "b1", List.of(T1)));
    assertThat(res.warmups()).isEqualTo(Map.of("a1", Set.of(), "b1", Set.of()));
    assertThat(res.standbys()).isEqualTo(Map.of("a1", Set.of(T1), "b1", Set.of(T0)));
    assertThat(res.balanced()).isTrue();
  }

  @Test
  void statelessTasksMoveFreelyAndGetNoReplicas() {
    List<Member> ms = members("a1@a", "n1@n");
    Result res =
        ReplicaPlacement.place(
            ms,
            Map.of("a1", List.of(T0), "n1", List.of(T1)),
            Set.of(),
            Map.of(T0, "a1", T1, "a1"),
            Map.of(),
            Map.of(),
            new Settings(2, 0, 2));
    assertThat(res.actives()).isEqualTo(Map.of("a1", List.of(T0), "n1", List.of(T1)));
    assertThat(res.standbys()).isEqualTo(Map.of("a1", Set.of(), "n1", Set.of()));
    assertThat(res.balanced()).isTrue();
  }

  @Test
  void aStandbyStaysWithTheThreadThatHeldItAndOtherwiseGoesToTheLeastLoadedThread() {
    List<Member> ms = members("a1@a", "b1@b", "b2@b");
    Result res =
        ReplicaPlacement.place(
            ms,
            Map.of("a1", List.of(T0, T1), "b1", List.of(T2), "b2", List.of()),
            Set.of(T0, T1),
            Map.of(),
            Map.of("b1", Set.of(T1)),
            lags("a", T0, 0, "a", T1, 0, "b", T1, 0),
            new Settings(1, 10, 2));
    assertThat(res.standbys())
        .isEqualTo(Map.of("a1", Set.of(), "b1", Set.of(T1), "b2", new TreeSet<>(Set.of(T0))));
  }

  @Test
  void lagsAreEndOffsetsMinusTheBestCopyOfEachInstanceAndZeroWhereTheTaskRuns() {
    Map<String, Map<TaskId, Long>> reports = new HashMap<>();
    TaskLags.merge(reports, "a", Map.of(T0, TaskLags.RUNNING_ACTIVE, T1, 10L));
    TaskLags.merge(reports, "a", Map.of(T0, 5L, T1, 40L));
    TaskLags.merge(reports, "b", Map.of(T0, 90L, T2, 7L));
    Map<String, Map<TaskId, Long>> lags =
        TaskLags.compute(
            reports, Map.of(T0, 100L, T1, 50L), List.of("a", "b", "c"), List.of(T0, T1, T2));
    long unknown = ReplicaPlacement.UNKNOWN_LAG;
    assertThat(lags)
        .isEqualTo(
            Map.of(
                "a", Map.of(T0, 0L, T1, 10L, T2, unknown),
                "b", Map.of(T0, 10L, T1, 50L, T2, unknown),
                // Without a copy an instance restores everything: its lag is the end offset sum.
                "c", Map.of(T0, 100L, T1, 50L, T2, unknown)));
  }
}
