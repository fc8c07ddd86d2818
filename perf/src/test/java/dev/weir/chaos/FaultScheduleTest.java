package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
  private static ChaosConfig config(String... args) {
    return ChaosConfig.parse(args, Path.of("target", "x"));
  }

  @Test
  void drawsEveryFaultOnceSortedAndDeterministic() {
    ChaosConfig c =
        config("--crashes", "30", "--broker-restarts", "2", "--scale-events", "4", "--pauses", "3");
    List<FaultSchedule.Event> events = FaultSchedule.of(c);
    assertThat(events).isEqualTo(FaultSchedule.of(c));
    assertThat(events).hasSize(39).isSortedAccordingTo((a, b) -> Double.compare(a.at(), b.at()));
    assertThat(events).allSatisfy(e -> assertThat(e.at()).isBetween(0.03, 0.95));
    long inCommit =
        events.stream().filter(e -> e.type() == FaultSchedule.Type.CRASH_IN_COMMIT).count();
    long killed = events.stream().filter(e -> e.type() == FaultSchedule.Type.CRASH_KILL).count();
    assertThat(inCommit).isEqualTo(10);
    assertThat(killed).isEqualTo(20);
    assertThat(events)
        .filteredOn(e -> e.type() == FaultSchedule.Type.CRASH_IN_COMMIT)
        .allSatisfy(e -> assertThat(e.point()).isNotEqualTo(CrashSwitch.Point.AFTER_FLUSH));
    // Scale events alternate out and in, in time order.
    List<FaultSchedule.Type> scale =
        events.stream()
            .map(FaultSchedule.Event::type)
            .filter(t -> t == FaultSchedule.Type.SCALE_IN || t == FaultSchedule.Type.SCALE_OUT)
            .toList();
    assertThat(scale)
        .containsExactly(
            FaultSchedule.Type.SCALE_OUT,
            FaultSchedule.Type.SCALE_IN,
            FaultSchedule.Type.SCALE_OUT,
            FaultSchedule.Type.SCALE_IN);
    assertThat(FaultSchedule.of(config("--crashes", "30", "--seed", "2"))).isNotEqualTo(events);
  }

  @Test
  void atLeastOnceCrashesAfterTheFlush() {
    List<FaultSchedule.Event> events =
        FaultSchedule.of(
            config("--guarantee", "at_least_once", "--crashes", "3", "--in-commit-share", "1"));
    assertThat(events)
        .filteredOn(e -> e.type() == FaultSchedule.Type.CRASH_IN_COMMIT)
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.point()).isEqualTo(CrashSwitch.Point.AFTER_FLUSH));
  }
}
