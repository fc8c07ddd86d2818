package dev.weir.chaos;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code perf/chaos.sh}: runs one chaos run and prints as its last line {@code chaos: records=N
 * crashes=K broker-restarts=B lost=L duplicated=D wrong=W}. Exit status 0 only when L, D and W are
 * zero and the run finished normally; 1 when it found a problem; 2 on a usage error.
 */
public final class Chaos {
  private Chaos() {}

  public static void main(String[] args) {
    ChaosConfig config;
    try {
      config =
          ChaosConfig.parse(
              args,
              Path.of("target", "chaos")
                  .resolve(
                      LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    } catch (IllegalArgumentException e) {
      System.out.println("chaos: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    String last;
    try {
      ChaosResult result = new ChaosRun(config, System.out).run();
      status = result.ok() ? 0 : 1;
      last = result.summaryLine();
    } catch (Exception | Error e) {
      e.printStackTrace(System.out);
      status = 1;
      last = "chaos: failed to run: " + e;
    }
    System.out.flush();
    System.err.flush();
    System.out.println(last);
    System.out.flush();
    System.exit(status);
  }
}
