package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * One instance of the running-count pipeline with one standby replica, in its own JVM, for the
 * standby failover test. Arguments: bootstrap, application id, state dir, input topic, output
 * topic, and optionally a static member id, with which the instance also runs a liveness listener
 * and a 60 s session timeout (the liveness failover test). Prints its state changes, and a {@code
 * METRICS} line whenever its task, standby or restore counts change, for the parent to poll. Runs
 * until killed or its parent dies.
 */
public final class StandbyCountMain {
  private StandbyCountMain() {}

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    Properties props = Pipelines.appProps(args[0], args[1], Path.of(args[2]));
    props.put(WeirConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
    if (args.length > 5) {
      props.put("consumer.group.instance.id", args[5]);
      // Longer than the test waits for the failover: only the liveness watch can move tasks.
      props.put("consumer.session.timeout.ms", "60000");
      props.put(WeirConfig.LIVENESS_LISTENER_CONFIG, "127.0.0.1:0");
    }
    WeirApplication app = new WeirApplication(Pipelines.runningCount(args[3], args[4]), props);
    app.setStateListener((now, before) -> System.out.println("STATE " + now));
    Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    app.start();
    String last = "";
    // The child reports its metrics as they change; the test polls this output.
    while (!app.state().isTerminal()) {
      Map<String, Long> m = app.metricsSnapshot();
      String line =
          "METRICS tasks="
              + m.getOrDefault("tasks", -1L)
              + " standby="
              + m.getOrDefault("standby-tasks", -1L)
              + " restored="
              + m.getOrDefault("state-restored-records", -1L)
              + " applied="
              + m.getOrDefault("standby-records-applied", -1L)
              + " state="
              + app.state()
              + " removed="
              + m.getOrDefault("peers-removed", -1L);
      if (!line.equals(last)) {
        System.out.println(line);
        last = line;
      }
      app.awaitState(java.time.Duration.ofMillis(100), ApplicationState.ERROR);
    }
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }
}
