package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How opens and deletes of one task exclude each other in a backend's registry. */
class OpenTasksTest {
  private final OpenTasks tasks = new OpenTasks("test");

  @Test
  void aDeleteIsRefusedWhileTheTaskIsOpenOrBeingOpened() {
    tasks.reserve("0_1");
    assertThat(tasks.beginDelete("0_1")).as("being opened").isFalse();
    tasks.release("0_1");
    assertThat(tasks.beginDelete("0_1")).isTrue();
    tasks.endDelete("0_1");
  }

  @Test
  void anOpenDuringADeleteWaitsForIt() throws Exception {
    assertThat(tasks.beginDelete("0_1")).isTrue();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread opener =
        new Thread(
            () -> {
              try {
                tasks.reserve("0_1");
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    opener.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> opener.getState() == Thread.State.WAITING);
    assertThat(opener.isAlive()).isTrue();
    tasks.endDelete("0_1");
    opener.join(30_000);
    assertThat(opener.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
    assertThat(tasks.beginDelete("0_1")).as("now reserved by the open").isFalse();
  }

  @Test
  void closingWaitsForDeletesAndThenRefusesThem() throws Exception {
    assertThat(tasks.beginDelete("0_1")).isTrue();
    Thread closer = new Thread(tasks::closeAll);
    closer.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> closer.getState() == Thread.State.WAITING);
    tasks.endDelete("0_1");
    closer.join(30_000);
    assertThat(closer.isAlive()).isFalse();
    assertThatThrownBy(() -> tasks.beginDelete("0_1")).isInstanceOf(IllegalStateException.class);
  }
}
