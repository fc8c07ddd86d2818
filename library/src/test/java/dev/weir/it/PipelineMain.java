package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * One instance of the keyed ETL pipeline in its own JVM, for crash tests. Arguments: bootstrap,
 * application id, state dir, input topic, output topic, and optionally "count" for the running
 * count pipeline instead of the keyed ETL. System properties {@code weir.it.config.<key>} add
 * settings. Runs until killed or its parent dies.
 */
public final class PipelineMain {
  private PipelineMain() {}

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    WeirApplication app =
        new WeirApplication(
            args.length > 5 && args[5].equals("count")
                ? Pipelines.runningCount(args[3], args[4])
                : Pipelines.keyedEtl(args[3], args[4]),
            withConfigOverrides(Pipelines.appProps(args[0], args[1], Path.of(args[2]))));
    CountDownLatch stopped = new CountDownLatch(1);
    app.setStateListener(
        (now, before) -> {
          System.out.println("STATE " + now);
          if (now == ApplicationState.RUNNING) {
            // Crash tests read how much changelog each start had to replay.
            System.out.println("RESTORED " + app.metricsSnapshot().get("state-restored-records"));
          }
          if (now.isTerminal()) {
            stopped.countDown();
          }
        });
    Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    app.start();
    stopped.await();
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }

  /** Adds each system property {@code weir.it.config.<key>=<value>} as setting {@code <key>}. */
  private static Properties withConfigOverrides(Properties props) {
    String prefix = "weir.it.config.";
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        props.put(name.substring(prefix.length()), System.getProperty(name));
      }
    }
    return props;
  }
}
