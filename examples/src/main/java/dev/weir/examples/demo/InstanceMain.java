package dev.weir.examples.demo;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * One instance of the demo's application, in its own JVM: what a user deploys. The demo starts two
 * of these and kills one. Every half second, and on every state change, it prints a status line
 * ({@value #STATUS} followed by {@code state=...} and the instance's metrics) that the demo reads
 * from its log for the progress display.
 *
 * <p>Arguments: bootstrap servers, application id, state directory, run id, and optionally the
 * status server's port ({@code status.http.port}; -1 for none).
 */
public final class InstanceMain {
  /** The prefix of status lines. */
  static final String STATUS = "weir-demo-status";

  private InstanceMain() {}

  /**
   * Runs one instance until SIGTERM (a clean close) or SIGKILL.
   *
   * @param args bootstrap servers, application id, state directory, run id[, status port]
   * @throws InterruptedException when interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    Properties config = SensorPipeline.config(args[1], args[0], Path.of(args[2]));
    if (args.length > 4) {
      config.put(WeirConfig.STATUS_HTTP_PORT_CONFIG, Integer.parseInt(args[4]));
    }
    WeirApplication app =
        new WeirApplication(SensorPipeline.topology(DemoTopics.forRun(args[3])), config);
    app.setStateListener((now, before) -> printStatus(now, app.metricsSnapshot()));
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> app.close(Duration.ofSeconds(20)), "close-on-sigterm"));
    app.start();
    while (!app.awaitState(
        Duration.ofMillis(500), ApplicationState.NOT_RUNNING, ApplicationState.ERROR)) {
      printStatus(app.state(), app.metricsSnapshot());
    }
    printStatus(app.state(), app.metricsSnapshot());
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }

  private static void printStatus(ApplicationState state, Map<String, Long> metrics) {
    StringBuilder line = new StringBuilder(STATUS).append(" state=").append(state);
    metrics.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
  }
}
