package dev.weir.chaos;

import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One Weir instance of a chaos run across its incarnations: a state directory (so a restart is the
 * same instance, with the same transactional ids, and fences its predecessor), a crash switch and a
 * log file that every incarnation appends to.
 */
final class InstanceSlot {
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final String name;
  private final List<String> args;
  private final Path logFile;
  private final CrashSwitch crashSwitch;
  private final List<String> jvmOptions;
  private JavaProcess process;
  private int incarnations;
  private boolean paused;

  private final long seed;

  InstanceSlot(
      String name, Path workDir, long seed, List<String> commonArgs, List<String> extraArgs)
      throws IOException {
    this.name = name;
    this.seed = seed;
    Path control = workDir.resolve("control");
    Files.createDirectories(control);
    Path controlFile = control.resolve(name);
    this.crashSwitch = new CrashSwitch(controlFile);
    this.logFile = workDir.resolve("logs").resolve(name + ".log");
    this.jvmOptions =
        List.of(
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            // Client configuration dumps and banners drown what matters.
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config=warn",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.utils.AppInfoParser=warn",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer=warn");
    List<String> a = new ArrayList<>(commonArgs);
    a.addAll(
        List.of(
            "--state-dir",
            workDir.resolve("state").resolve(name).toString(),
            "--control-file",
            controlFile.toString()));
    a.addAll(extraArgs);
    this.args = List.copyOf(a);
  }

  String name() {
    return name;
  }

  Path logFile() {
    return logFile;
  }

  CrashSwitch crashSwitch() {
    return crashSwitch;
  }

  int incarnations() {
    return incarnations;
  }

  /** Starts a new incarnation (the previous one must have exited). */
  void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    crashSwitch.disarm();
    incarnations++;
    process =
        JavaProcess.builder(ChaosInstance.class)
            .name(name)
            .args(args)
            .args("--seed", Long.toString(Workload.mix(seed + incarnations)))
            .jvmOptions(jvmOptions)
            .logFile(logFile)
            .start();
    paused = false;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  OptionalInt exitCode() {
    return process == null ? OptionalInt.empty() : process.exitCode();
  }

  /** SIGKILL; returns once the process is gone. */
  void kill() {
    if (process != null) {
      resumeIfPaused();
      process.kill();
    }
  }

  /** SIGTERM (a clean close: final commit) and SIGKILL after 30 s. */
  boolean stop() {
    if (process == null) {
      return true;
    }
    resumeIfPaused();
    return process.stop(STOP_GRACE);
  }

  /** Waits until the process exits by itself. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process == null || process.waitFor(timeout);
  }

  /** Freezes the process (SIGSTOP). */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  /** Records that the process stopped itself (SIGSTOP), so that it is resumed before a stop. */
  void frozeItself() {
    paused = true;
  }

  /** Thaws a frozen process (SIGCONT). */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  private void resumeIfPaused() {
    if (paused) {
      try {
        resume();
      } catch (IOException | InterruptedException e) {
        // SIGKILL works on a stopped process too; resuming only lets SIGTERM's hooks run.
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          "kill -"
              + signal
              + " "
              + process.pid()
              + " failed: "
              + new String(
                  p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  List<String> logTail(int lines) {
    return process == null ? List.of() : process.logTail(lines);
  }

  @Override
  public String toString() {
    return name + (process == null ? "" : " (pid " + process.pid() + ")");
  }
}
