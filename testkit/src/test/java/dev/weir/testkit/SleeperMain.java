package dev.weir.testkit;

import java.util.concurrent.CountDownLatch;

/** A child JVM for {@link JavaProcessTest}: reports readiness, then waits to be stopped. */
public final class SleeperMain {

  private SleeperMain() {}

  /**
   * Runs until stopped.
   *
   * @param args ignored
   * @throws InterruptedException never in practice
   */
  public static void main(String[] args) throws InterruptedException {
    boolean watched = JavaProcess.exitWhenParentDies();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> System.out.println("sleeper: shutdown hook ran")));
    System.out.println("sleeper: ready, watching parent=" + watched);
    new CountDownLatch(1).await();
  }
}
