package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.internal.task.TaskId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskAssignorTest {
  private static List<TaskId> tasks(int subs, int partitions) {
    List<TaskId> t = new ArrayList<>();
    for (int s = 0; s < subs; s++) {
      for (int p = 0; p < partitions; p++) {
        t.add(new TaskId(s, p));
      }
    }
    return t;
  }

  private static TaskAssignor.MemberInfo member(String id, Set<TaskId> owned) {
    return new TaskAssignor.MemberInfo(id, id, 0, false, owned);
  }

  @Test
  void everyTaskAssignedOnceAndLoadsDifferByAtMostOne() {
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      List<TaskId> all = tasks(1 + r.nextInt(3), 1 + r.nextInt(9));
      List<TaskAssignor.MemberInfo> members = new ArrayList<>();
      int m = 1 + r.nextInt(6);
      for (int i = 0; i < m; i++) {
        Set<TaskId> owned = new HashSet<>();
        for (TaskId t : all) {
          if (r.nextInt(m) == 0) {
            owned.add(t);
          }
        }
        members.add(member("m" + i, owned));
      }
      Map<String, List<TaskId>> a = TaskAssignor.balance(all, members);
      List<TaskId> flat = a.values().stream().flatMap(List::stream).toList();
      assertThat(flat).containsExactlyInAnyOrderElementsOf(all);
      int min = a.values().stream().mapToInt(List::size).min().orElseThrow();
      int max = a.values().stream().mapToInt(List::size).max().orElseThrow();
      assertThat(max - min).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aJoiningMemberTakesOnlyWhatBalanceRequires() {
    List<TaskId> all = tasks(1, 4);
    var a = member("a", Set.of(all.get(0), all.get(1)));
    var b = member("b", Set.of(all.get(2), all.get(3)));
    var c = member("c", Set.of());
    Map<String, List<TaskId>> result = TaskAssignor.balance(all, List.of(a, b, c));
    assertThat(result.get("c")).hasSize(1);
    // Of the four tasks only the one that moves to c changes owner.
    int kept = 0;
    for (TaskId t : result.get("a")) {
      kept += a.owned().contains(t) ? 1 : 0;
    }
    for (TaskId t : result.get("b")) {
      kept += b.owned().contains(t) ? 1 : 0;
    }
    assertThat(kept).isEqualTo(3);
  }

  @Test
  void subscriptionRoundTrips() {
    var ctx =
        new AssignorContext(null, "inst-1", 3, new java.util.concurrent.atomic.AtomicBoolean(true));
    ctx.ownedTasks = Set.of(new TaskId(1, 2));
    TaskAssignor assignor = new TaskAssignor();
    assignor.configure(Map.of(AssignorContext.CONFIG_KEY, ctx));
    var decoded = TaskAssignor.decodeSubscription("m", assignor.subscriptionUserData(Set.of()));
    assertThat(decoded.instanceId()).isEqualTo("inst-1");
    assertThat(decoded.thread()).isEqualTo(3);
    assertThat(decoded.shutdown()).isTrue();
    assertThat(decoded.owned()).containsExactly(new TaskId(1, 2));
  }

  @Test
  void everySubTopologyIsSpreadOverTheMembersEvenWhenOneOwnedEverything() {
    // Instance a ran all 8 tasks while b was down; b is back. Before, a kept 0_0..0_3 (all the
    // sources) and b got 1_0..1_3 (all the windows).
    List<TaskId> all = tasks(2, 4);
    TaskAssignor.MemberInfo a = member("a", new HashSet<>(all));
    TaskAssignor.MemberInfo b = member("b", Set.of());
    Map<String, List<TaskId>> result = TaskAssignor.balance(all, List.of(a, b));
    for (String m : List.of("a", "b")) {
      assertThat(result.get(m)).hasSize(4);
      assertThat(result.get(m).stream().filter(t -> t.subTopology() == 0)).hasSize(2);
    }
    // a kept tasks it owned (all of its 4 are previous ones).
    assertThat(all).containsAll(result.get("a"));
  }
}
