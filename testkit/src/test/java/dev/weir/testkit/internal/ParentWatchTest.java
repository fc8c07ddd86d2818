package dev.weir.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {

  private static final long MY_PARENT = ProcessHandle.current().parent().orElseThrow().pid();

  @Test
  void aLiveParentIsAlive() {
    assertThat(ParentWatch.parentAlive(MY_PARENT, MY_PARENT)).isTrue();
  }

  @Test
  void anExitedProcessIsNotAlive() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    assertThat(finished.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(ParentWatch.parentAlive(finished.pid(), MY_PARENT)).isFalse();
  }

  @Test
  void beingReparentedMeansTheParentDied() {
    // The recorded direct parent differs from the current one, as after a re-parenting to init.
    assertThat(ParentWatch.parentAlive(MY_PARENT, MY_PARENT + 1)).isFalse();
  }

  @Test
  void withoutThePropertyTheWatchDoesNotStart() {
    assertThat(System.getProperty(ParentWatch.PARENT_PID_PROPERTY)).isNull();
    assertThat(ParentWatch.start(() -> {})).isFalse();
  }
}
