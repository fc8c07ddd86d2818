package dev.weir.examples.demo;

import dev.weir.examples.demo.Demo.Instance;
import dev.weir.examples.demo.Demo.Writer;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The demo's live progress line. On a terminal it is redrawn in place four times a second;
 * otherwise (a pipe, a test) it is printed as a new line every five seconds. Not thread-safe.
 */
final class Progress {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final PrintStream console;
  private final long t0;
  private final List<Instance> instances;
  private final Outputs outputs;
  private final CatchUp catchUp;
  private final Writer writer;
  private final boolean inPlace;
  private final long intervalNanos;
  private long lastRender;
  private long lastLagCheck;
  private long lag;
  private int width;

  Progress(
      PrintStream console,
      long t0,
      List<Instance> instances,
      Outputs outputs,
      CatchUp catchUp,
      Writer writer) {
    this.console = console;
    this.t0 = t0;
    this.instances = instances;
    this.outputs = outputs;
    this.catchUp = catchUp;
    this.writer = writer;
    this.inPlace = console == System.out && System.console() != null;
    this.intervalNanos = inPlace ? 250_000_000L : 5_000_000_000L;
  }

  /**
   * Draws the line if it is due.
   *
   * @param force draw even if it is not due
   */
  void render(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastRender < intervalNanos) {
      return;
    }
    lastRender = now;
    if (now - lastLagCheck > 1_000_000_000L) {
      lastLagCheck = now;
      try {
        lag = catchUp.readingsLag();
      } catch (Exception e) {
        lag = -1;
      }
    }
    StringBuilder line = new StringBuilder();
    line.append(String.format("%5.1fs  sent %,d", (now - t0) / 1e9, writer.sent()));
    for (Instance i : instances) {
      Map<String, String> s = i.status();
      line.append(" | ").append(i.name()).append(' ');
      if (i.notRunning() != null && !i.running()) {
        line.append(i.notRunning());
      } else if (!"RUNNING".equals(s.get("state"))) {
        line.append(s.getOrDefault("state", "starting").toLowerCase(java.util.Locale.ROOT));
      } else {
        line.append(
            String.format(
                "%d tasks, in %,d out %,d",
                i.lastMetric("tasks"), i.lastMetric("records-in"), i.lastMetric("records-out")));
      }
    }
    line.append(String.format(" | windows %,d", outputs.windows.size()));
    if (outputs.newestWindowEnd() != Long.MIN_VALUE) {
      line.append(" to ").append(TIME.format(Instant.ofEpochMilli(outputs.newestWindowEnd())));
    }
    line.append(
        String.format(
            " | alerts %,d | late %,d | lag %,d", outputs.alerts.size(), outputs.late.size(), lag));
    if (inPlace) {
      String text = line.toString();
      console.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
      width = text.length();
    } else {
      console.println(line);
    }
    console.flush();
  }

  /**
   * Prints a message on its own line, above the progress line.
   *
   * @param message the message
   */
  void message(String message) {
    if (inPlace) {
      console.print("\r" + " ".repeat(width) + "\r");
      width = 0;
    }
    console.println(message);
    render(true);
  }

  /** Ends the progress line. */
  void finish() {
    if (inPlace) {
      console.println();
    }
  }
}
