package dev.weir.perf;

import dev.weir.testkit.JavaProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of a contender's child JVM: arguments are a {@link ContenderSpec}. Starts the
 * contender, reports milestones in the status file, and stops the contender gracefully on SIGTERM.
 */
public final class ContenderMain {
  private static volatile StatusFile status;
  private static volatile boolean firstRecordSeen;

  private ContenderMain() {}

  /**
   * Called by {@link Event#parse} for every record a contender parses (W2K, which parses nothing:
   * by the value deserializer, {@link MarkingStrings}): the first call notes the time and the
   * process CPU time, where the harness's measured interval starts. One volatile read per record
   * afterwards, the same for every contender.
   */
  static void recordParsed() {
    if (!firstRecordSeen) {
      markFirstRecord();
    }
  }

  private static synchronized void markFirstRecord() {
    StatusFile s = status;
    if (firstRecordSeen || s == null) {
      return;
    }
    firstRecordSeen = true;
    s.put("firstRecordMs", System.currentTimeMillis());
    // Not through a contender class: the Flink contender's JVM has no Kafka Streams to load.
    s.put("firstRecordCpuNs", ProcStats.ownCpuNanos());
    s.put("firstRecordJitCpuNs", ProcStats.ownJitCpuNanos());
  }

  /**
   * Runs one contender until the JVM is told to stop.
   *
   * @param args the {@link ContenderSpec} fields
   * @throws InterruptedException never in practice: the main thread waits until the JVM exits
   */
  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    ContenderSpec spec = ContenderSpec.parse(args);
    StatusFile status = new StatusFile(spec.statusFile());
    ContenderMain.status = status;
    Contender contender = Contenders.create(spec.workload(), spec.contender());
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    System.err.print(ClientRequestCounts.describe());
                    contender.stop();
                    status.put("closed", System.currentTimeMillis());
                  } catch (Exception e) {
                    status.put("closeFailed", oneLine(e));
                    e.printStackTrace();
                  }
                },
                "contender-close"));
    try {
      contender.start(spec, status);
      status.put("started", System.currentTimeMillis());
    } catch (Exception e) {
      e.printStackTrace();
      status.put("failed", oneLine(e));
      System.exit(2);
    }
    forever.await();
  }

  static String oneLine(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    String first = w.toString().lines().findFirst().orElse(e.toString());
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? first : first + " / caused by " + root;
  }
}
