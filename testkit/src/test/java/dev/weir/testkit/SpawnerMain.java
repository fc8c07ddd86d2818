package dev.weir.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM that starts a grandchild ({@link SleeperMain}) and prints its pid, so that a test can
 * kill this JVM with SIGKILL and watch the grandchild follow.
 */
public final class SpawnerMain {

  private SpawnerMain() {}

  /**
   * Starts the grandchild and waits forever.
   *
   * @param args the grandchild's log file
   * @throws Exception when the grandchild cannot be started
   */
  public static void main(String[] args) throws Exception {
    JavaProcess.exitWhenParentDies();
    JavaProcess grandchild =
        JavaProcess.builder(SleeperMain.class).logFile(Path.of(args[0])).start();
    System.out.println("grandchild-pid=" + grandchild.pid());
    new CountDownLatch(1).await();
  }
}
