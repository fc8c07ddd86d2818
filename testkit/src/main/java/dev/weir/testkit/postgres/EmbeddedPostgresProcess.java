package dev.weir.testkit.postgres;

import dev.weir.testkit.internal.Directories;
import dev.weir.testkit.internal.FreePorts;
import dev.weir.testkit.internal.LogTail;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL server process on a loopback port with its own data directory.
 *
 * <p>Root: PostgreSQL refuses to run as root (initdb and the postmaster both check), and CI runs
 * the tests as root. So when this JVM is root, the work directory is given to an unprivileged user
 * ({@value #DEFAULT_RUN_AS} unless {@code -Dweir.test.postgres.runAs} names another) and initdb and
 * the server run under {@code setpriv} (util-linux, present on every Debian-like system) as that
 * user. As any other user they run as that user.
 *
 * <p>No orphans: the server runs under a small shell that waits for its standard input to close and
 * then stops the server (fast shutdown) and deletes the work directory. This JVM holds that pipe;
 * {@link #close()} closes it, and so does the kernel when the JVM dies, even by {@code kill -9}.
 */
final class EmbeddedPostgresProcess implements AutoCloseable {

  static final String DEFAULT_RUN_AS = "nobody";
  static final String USER = "postgres";
  private static final long START_TIMEOUT_MS = 120_000;

  // $1 = work directory; the rest is the server's command line. `cat` returns when stdin closes.
  private static final String WATCHDOG =
      "work=\"$1\"; shift; \"$@\" >>\"$work/postgres.log\" 2>&1 & pid=$!; cat >/dev/null;"
          + " kill -INT \"$pid\" 2>/dev/null; wait \"$pid\"; rm -rf \"$work\"";

  private final Path work;
  private final int port;
  private final Process watchdog;
  private final OutputStream lifeline;

  private EmbeddedPostgresProcess(Path work, int port, Process watchdog) {
    this.work = work;
    this.port = port;
    this.watchdog = watchdog;
    this.lifeline = watchdog.getOutputStream();
  }

  /**
   * Unpacks the binaries when needed, initialises a data directory and starts the server.
   *
   * @param settings server settings ({@code -c name=value}) on top of the defaults
   * @return the running server, accepting connections
   * @throws IllegalStateException when initdb or the server fails; the message holds its log
   */
  static EmbeddedPostgresProcess start(Map<String, String> settings) {
    Path binaries = PostgresBinaries.unpacked();
    List<String> runAs = runAsPrefix();
    Path work;
    try {
      work = Files.createTempDirectory("weir-postgres-");
      if (!runAs.isEmpty()) {
        int[] ids = RunAsUser.lookUp(runAsName());
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(work, "unix:uid", ids[0]);
        Files.setAttribute(work, "unix:gid", ids[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the PostgreSQL work directory", e);
    }
    try {
      initdb(binaries, work, runAs);
      int port = FreePorts.allocate(1)[0];
      Map<String, String> all = new LinkedHashMap<>();
      all.put("listen_addresses", "127.0.0.1");
      all.put("unix_socket_directories", work.toString());
      all.put("max_prepared_transactions", "64");
      all.put("max_connections", "200");
      // A test database need not survive a power cut; these make it several times faster.
      all.put("fsync", "off");
      all.put("synchronous_commit", "off");
      all.put("full_page_writes", "off");
      all.putAll(settings);
      List<String> command = new ArrayList<>(runAs);
      command.addAll(List.of("sh", "-c", WATCHDOG, "weir-postgres", work.toString()));
      command.add(binaries.resolve("bin/postgres").toString());
      command.addAll(List.of("-D", work.resolve("data").toString(), "-p", Integer.toString(port)));
      all.forEach((k, v) -> command.addAll(List.of("-c", k + "=" + v)));
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      EmbeddedPostgresProcess server = new EmbeddedPostgresProcess(work, port, process);
      try {
        server.awaitReady();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      deleteQuietly(work);
      throw new UncheckedIOException("could not start PostgreSQL in " + work, e);
    } catch (RuntimeException e) {
      deleteQuietly(work);
      throw e;
    }
  }

  int port() {
    return port;
  }

  String adminUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
  }

  /** Stops the server (fast shutdown: open sessions are ended) and deletes its directory. */
  @Override
  public void close() {
    try {
      lifeline.close();
    } catch (IOException e) {
      // The pipe is gone already: the watchdog has seen end of input and stops the server anyway.
    }
    try {
      if (!watchdog.waitFor(60, TimeUnit.SECONDS)) {
        watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
        watchdog.destroyForcibly();
        watchdog.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteQuietly(work);
  }

  private void awaitReady() {
    long started = System.currentTimeMillis();
    long deadline = started + START_TIMEOUT_MS;
    SQLException last = null;
    while (System.currentTimeMillis() < deadline) {
      // The shell forks the server at once; a few seconds without it means it exited (bad port).
      if (!watchdog.isAlive() || System.currentTimeMillis() - started > 5_000 && !serverRunning()) {
        break;
      }
      try (Connection c = DriverManager.getConnection(adminUrl())) {
        if (c.isValid(10)) {
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(100); // polling a starting process: there is nothing to wait on instead
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException(
        "PostgreSQL on port " + port + " did not accept connections; its log ends:\n" + logTail(),
        last);
  }

  private boolean serverRunning() {
    return watchdog
        .descendants()
        .anyMatch(p -> p.info().command().map(c -> c.endsWith("/bin/postgres")).orElse(false));
  }

  private String logTail() {
    try {
      return String.join("\n", LogTail.lastLines(work.resolve("postgres.log"), 30));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static void initdb(Path binaries, Path work, List<String> runAs) throws IOException {
    List<String> command = new ArrayList<>(runAs);
    command.add(binaries.resolve("bin/initdb").toString());
    command.addAll(
        List.of(
            "-A",
            "trust",
            "-U",
            USER,
            "-D",
            work.resolve("data").toString(),
            "-E",
            "UTF-8",
            "--locale=C",
            "--no-sync"));
    Process initdb = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = initdb.getInputStream().readAllBytes();
    try {
      if (initdb.waitFor() != 0) {
        throw new IllegalStateException(
            "initdb failed (exit "
                + initdb.exitValue()
                + ", command "
                + command
                + "):\n"
                + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      initdb.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while initdb ran", e);
    }
  }

  /** The command prefix that drops root; empty when this JVM is not root. */
  private static List<String> runAsPrefix() {
    if (!RunAsUser.isRoot()) {
      return List.of();
    }
    int[] ids = RunAsUser.lookUp(runAsName());
    return List.of("setpriv", "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups", "--");
  }

  private static String runAsName() {
    return System.getProperty(PostgresServer.RUN_AS_PROPERTY, DEFAULT_RUN_AS);
  }

  private static void deleteQuietly(Path dir) {
    try {
      Directories.deleteRecursively(dir);
    } catch (IOException e) {
      System.err.println("weir: could not delete PostgreSQL directory " + dir + ": " + e);
    }
  }
}
