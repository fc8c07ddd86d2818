package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child JVMs: start, graceful stop, SIGKILL, and no orphans when the parent dies. */
class JavaProcessTest {

  private static final Duration START = Duration.ofSeconds(30);

  @TempDir Path logs;
  private final List<JavaProcess> started = new ArrayList<>();
  private final List<Long> foreignPids = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(JavaProcess::kill);
    ChildLogs.killIfAlive(foreignPids);
  }

  @Test
  void startsAChildThatWatchesItsParentAndWritesToItsLog() throws Exception {
    JavaProcess child = start(JavaProcess.builder(SleeperMain.class).name("sleeper"));

    assertThat(ChildLogs.awaitValue(child, "sleeper: ready, watching parent=", START))
        .isEqualTo("true");
    assertThat(child.isAlive()).isTrue();
    assertThat(child.exitCode()).isEmpty();
    assertThat(child.name()).isEqualTo("sleeper");
    assertThat(ProcessHandle.of(child.pid())).isPresent();
    assertThat(child.logTail(5)).anyMatch(line -> line.startsWith("sleeper: ready"));
  }

  @Test
  void stopIsGracefulSoShutdownHooksRun() throws Exception {
    JavaProcess child = start(JavaProcess.builder(SleeperMain.class));
    ChildLogs.awaitValue(child, "sleeper: ready", START);

    assertThat(child.stop(Duration.ofSeconds(20))).isTrue();

    assertThat(child.isAlive()).isFalse();
    assertThat(child.exitCode()).hasValue(143);
    assertThat(ChildLogs.contains(child.logFile(), "sleeper: shutdown hook ran")).isTrue();
  }

  @Test
  void killIsSigkillSoShutdownHooksDoNotRun() throws Exception {
    JavaProcess child = start(JavaProcess.builder(SleeperMain.class));
    ChildLogs.awaitValue(child, "sleeper: ready", START);

    child.kill();

    assertThat(child.isAlive()).isFalse();
    assertThat(child.exitCode()).hasValue(137);
    assertThat(ChildLogs.contains(child.logFile(), "sleeper: shutdown hook ran")).isFalse();
  }

  @Test
  void aGrandchildDiesWhenItsParentIsKilled() throws Exception {
    Path grandchildLog = logs.resolve("grandchild.log");
    JavaProcess spawner =
        start(JavaProcess.builder(SpawnerMain.class).args(grandchildLog.toString()));
    long grandchild = Long.parseLong(ChildLogs.awaitValue(spawner, "grandchild-pid=", START));
    foreignPids.add(grandchild);
    await().atMost(START).until(() -> ChildLogs.contains(grandchildLog, "sleeper: ready"));
    assertThat(ChildLogs.alive(grandchild)).isTrue();

    spawner.kill();

    await().atMost(Duration.ofSeconds(15)).until(() -> !ChildLogs.alive(grandchild));
    assertThat(ChildLogs.contains(grandchildLog, "sleeper: shutdown hook ran")).isFalse();
    assertThat(ChildLogs.contains(grandchildLog, "is gone; halting")).isTrue();
  }

  @Test
  void theWatchIsOffInAJvmThatJavaProcessDidNotStart() {
    assertThat(JavaProcess.exitWhenParentDies()).isFalse();
  }

  private JavaProcess start(JavaProcess.Builder builder) throws Exception {
    JavaProcess child = builder.logFile(logs.resolve("child-" + started.size() + ".log")).start();
    started.add(child);
    return child;
  }
}
