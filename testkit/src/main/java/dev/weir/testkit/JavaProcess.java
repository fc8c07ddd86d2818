package dev.weir.testkit;

import dev.weir.testkit.internal.LogTail;
import dev.weir.testkit.internal.ParentWatch;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Java main class running in a child JVM that never outlives the JVM that started it.
 *
 * <pre>{@code
 * try (JavaProcess instance =
 *     JavaProcess.builder("com.example.MyWeirApp")
 *         .args("--instance", "1")
 *         .systemProperty("bootstrap.servers", cluster.bootstrapServers())
 *         .start()) {
 *   // ... later, simulate a crash:
 *   instance.kill();
 * }
 * }</pre>
 *
 * <p>The child's stdout and stderr go, merged, to a log file ({@link #logFile()}). Its classpath is
 * this JVM's {@code java.class.path} unless the builder says otherwise; that also works under
 * Surefire's manifest-only booter jar, as long as the parent runs.
 *
 * <p><b>No orphans.</b> Three mechanisms make sure the child dies with its parent:
 *
 * <ol>
 *   <li>the parent keeps the write end of the child's stdin pipe open; the child's main calls
 *       {@link #exitWhenParentDies()}, which halts the child when stdin reaches end-of-file. The
 *       operating system closes the pipe when the parent dies in any way, {@code kill -9} included;
 *   <li>the same call starts a thread in the child that polls the parent's pid, as a backup;
 *   <li>a shutdown hook in the parent SIGKILLs every child still running when the parent exits
 *       normally.
 * </ol>
 *
 * <p>Mechanisms 1 and 2 need the child's cooperation: a main class that does not call {@link
 * #exitWhenParentDies()} is only covered by 3.
 *
 * <p><b>Threading:</b> instances are thread-safe; every method may be called from any thread.
 */
public final class JavaProcess implements AutoCloseable {

  private static final Set<JavaProcess> RUNNING = ConcurrentHashMap.newKeySet();
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final Duration KILL_WAIT = Duration.ofSeconds(30);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  static {
    Thread reaper = new Thread(JavaProcess::killAllRunning, "weir-child-process-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  private final String name;
  private final Process process;
  private final Path logFile;
  // Held open (never written) so the child sees end-of-file exactly when this JVM dies.
  private final OutputStream parentPipe;

  private JavaProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.parentPipe = process.getOutputStream();
  }

  /**
   * Starts describing a child JVM.
   *
   * @param mainClass fully qualified name of the class whose {@code main} runs in the child
   * @return a new builder
   * @throws NullPointerException when {@code mainClass} is null
   */
  public static Builder builder(String mainClass) {
    return new Builder(Objects.requireNonNull(mainClass, "mainClass"));
  }

  /**
   * Starts describing a child JVM.
   *
   * @param mainClass the class whose {@code main} runs in the child; it must be on the classpath
   *     the child gets
   * @return a new builder
   * @throws NullPointerException when {@code mainClass} is null
   */
  public static Builder builder(Class<?> mainClass) {
    return builder(mainClass.getName());
  }

  /**
   * Call first thing in the {@code main} of a class launched by {@code JavaProcess}: halts this JVM
   * as soon as the parent JVM is gone (see the class documentation).
   *
   * <p>Idempotent. Does nothing in a JVM that was not started by {@code JavaProcess}, so the same
   * main class also runs stand-alone.
   *
   * <p><b>Threading:</b> starts two daemon threads; may be called from any thread.
   *
   * @return true if the watch is active, false if this JVM was not started by {@code JavaProcess}
   */
  public static boolean exitWhenParentDies() {
    return ParentWatch.start(() -> {});
  }

  /**
   * Returns the name used in logs and in the log file name.
   *
   * @return the name given to the builder, or the main class's simple name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the operating-system process id of the child.
   *
   * @return the pid
   */
  public long pid() {
    return process.pid();
  }

  /**
   * Returns the file that receives the child's stdout and stderr.
   *
   * @return the log file; it is appended to, never truncated, by this class
   */
  public Path logFile() {
    return logFile;
  }

  /**
   * Tells whether the child is still running.
   *
   * @return true while the child runs
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Returns the child's exit status once it has exited.
   *
   * @return the exit status (143 after SIGTERM, 137 after SIGKILL, as seen from Java), or empty
   *     while it runs
   */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Kills the child with SIGKILL (a simulated crash: no shutdown hooks run) and waits until the
   * operating system has reaped it. Does nothing if the child already exited.
   *
   * @throws IllegalStateException if the child is still alive 30 s after SIGKILL, which only a
   *     process stuck in the kernel does
   */
  public void kill() {
    process.destroyForcibly();
    if (!awaitExit(KILL_WAIT)) {
      throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL");
    }
  }

  /**
   * Stops the child gracefully with SIGTERM (shutdown hooks run), and with SIGKILL if it has not
   * exited within {@code grace}. Returns when the child has exited.
   *
   * @param grace how long to wait for a graceful exit; zero kills at once
   * @return true if the child exited within {@code grace} (or had already exited), false if it had
   *     to be killed
   * @throws IllegalStateException if the child survives even SIGKILL for 30 s
   */
  public boolean stop(Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    // ProcessHandle.destroy only signals; Process.destroy would also close the child's stdin, and
    // the child would take that for its parent's death and halt before its shutdown hooks finish.
    process.toHandle().destroy();
    if (awaitExit(grace)) {
      return true;
    }
    kill();
    return false;
  }

  /**
   * Waits until the child exits by itself.
   *
   * @param timeout the longest wait
   * @return true if the child has exited, false if it still runs after {@code timeout}
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns the end of the child's log, for error messages.
   *
   * @param lines the most lines to return, at least 1
   * @return up to {@code lines} last lines, oldest first
   * @throws UncheckedIOException when the log cannot be read
   */
  public List<String> logTail(int lines) {
    try {
      return LogTail.lastLines(logFile, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops the child like {@link #stop(Duration)} with a grace period of 10 s.
   *
   * @throws IllegalStateException if the child survives even SIGKILL
   */
  @Override
  public void close() {
    stop(CLOSE_GRACE);
  }

  @Override
  public String toString() {
    return "JavaProcess[" + name + ", pid " + pid() + (isAlive() ? ", running]" : ", exited]");
  }

  private boolean awaitExit(Duration timeout) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        try {
          return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void exited() {
    RUNNING.remove(this);
    try {
      parentPipe.close();
    } catch (IOException e) {
      // The child is gone; a failure to close our end of its stdin pipe changes nothing.
      System.err.println("weir: closing stdin pipe of " + name + " failed: " + e);
    }
  }

  /**
   * A file name that no earlier run used: the time, this JVM's pid and a sequence number, so a log
   * never mixes the output of two runs.
   */
  private static String uniqueLogName(String prefix) {
    return prefix
        + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + SEQUENCE.incrementAndGet()
        + ".log";
  }

  private static void killAllRunning() {
    for (JavaProcess child : RUNNING) {
      child.process.destroyForcibly();
    }
  }

  /** Describes a child JVM; {@link #start()} launches it. Not thread-safe; use from one thread. */
  public static final class Builder {

    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String classpath = System.getProperty("java.class.path");
    private String name;
    private Path logFile;
    private Path workingDirectory;

    private Builder(String mainClass) {
      this.mainClass = mainClass;
      this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /**
     * Appends program arguments.
     *
     * @param args arguments passed to {@code main}
     * @return this builder
     */
    public Builder args(String... args) {
      return args(List.of(args));
    }

    /**
     * Appends program arguments.
     *
     * @param args arguments passed to {@code main}
     * @return this builder
     */
    public Builder args(List<String> args) {
      this.args.addAll(args);
      return this;
    }

    /**
     * Appends JVM options such as {@code -Xmx512m}; the default is none (the JVM's defaults).
     *
     * @param options options placed before the main class
     * @return this builder
     */
    public Builder jvmOptions(String... options) {
      return jvmOptions(List.of(options));
    }

    /**
     * Appends JVM options such as {@code -Xmx512m}; the default is none (the JVM's defaults).
     *
     * @param options options placed before the main class
     * @return this builder
     */
    public Builder jvmOptions(List<String> options) {
      this.jvmOptions.addAll(options);
      return this;
    }

    /**
     * Sets a system property of the child ({@code -Dkey=value}).
     *
     * @param key the property name
     * @param value the value
     * @return this builder
     */
    public Builder systemProperty(String key, String value) {
      systemProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Sets an environment variable of the child, which otherwise inherits this JVM's environment.
     *
     * @param key the variable name
     * @param value the value
     * @return this builder
     */
    public Builder environment(String key, String value) {
      environment.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Replaces the classpath, by default this JVM's {@code java.class.path}.
     *
     * @param classpath entries separated by {@link File#pathSeparator}
     * @return this builder
     */
    public Builder classpath(String classpath) {
      this.classpath = Objects.requireNonNull(classpath);
      return this;
    }

    /**
     * Sets the name used in logs and the default log file name.
     *
     * @param name a short name without path separators
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name);
      return this;
    }

    /**
     * Sets the file the child's stdout and stderr are appended to; by default a new file {@code
     * target/weir-process-logs/<name>-<date>-<time>-<pid>-<n>.log} under the working directory of
     * this JVM.
     *
     * @param logFile the file; parent directories are created
     * @return this builder
     */
    public Builder logFile(Path logFile) {
      this.logFile = Objects.requireNonNull(logFile);
      return this;
    }

    /**
     * Sets the child's working directory; by default this JVM's.
     *
     * @param directory an existing directory
     * @return this builder
     */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = Objects.requireNonNull(directory);
      return this;
    }

    /**
     * Launches the child JVM. Returns once the operating system has started it, not when its main
     * class is ready: wait for a condition (a log line, an open port) where that matters.
     *
     * @return the running child
     * @throws IOException when the log file cannot be created or the JVM cannot be launched
     */
    public JavaProcess start() throws IOException {
      Path log = logFile;
      if (log == null) {
        log = Path.of("target", "weir-process-logs").resolve(uniqueLogName(name));
      }
      log = log.toAbsolutePath();
      Files.createDirectories(log.getParent());

      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // RocksDB loads its library through JNI, which JDK 24+ warns about unless allowed (JEP 472).
      command.add("--enable-native-access=ALL-UNNAMED");
      command.addAll(jvmOptions);
      command.add("-D" + ParentWatch.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
      systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("-cp");
      command.add(classpath);
      command.add(mainClass);
      command.addAll(args);

      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      builder.environment().putAll(environment);
      JavaProcess child = new JavaProcess(name, builder.start(), log);
      RUNNING.add(child);
      child.process.onExit().thenRun(child::exited);
      return child;
    }
  }
}
