package dev.weir.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server for tests: by default a real PostgreSQL 14 started from the binaries on Maven
 * Central (no installation, no container), or the server named by {@code -Dweir.test.postgres.url}.
 *
 * <pre>{@code
 * PostgresServer pg = PostgresServer.shared();
 * String url = pg.createDatabase("orders");   // a fresh database of this test
 * try (Connection c = DriverManager.getConnection(url)) { ... }
 * }</pre>
 *
 * <p>The embedded server listens on {@code 127.0.0.1} on a free port, trusts local connections as
 * user {@code postgres}, allows prepared transactions ({@code max_prepared_transactions=64}) and
 * runs without fsync. It never outlives this JVM, and its data directory goes with it. When the JVM
 * is root, the server runs as an unprivileged user (see {@link #RUN_AS_PROPERTY}): PostgreSQL
 * refuses root.
 *
 * <p>An external server ({@link #URL_PROPERTY}) must allow prepared transactions; the URL names a
 * database the user may connect to and create databases from, with credentials as URL parameters,
 * e.g. {@code jdbc:postgresql://db:5432/postgres?user=weir&password=secret}. Databases created
 * through {@link #createDatabase(String)} are dropped on {@link #close()}.
 *
 * <p>Thread-safe.
 */
public final class PostgresServer implements AutoCloseable {

  /** System property with the JDBC URL of an external server to use instead of the embedded. */
  public static final String URL_PROPERTY = "weir.test.postgres.url";

  /** System property naming the user the embedded server runs as when the JVM is root. */
  public static final String RUN_AS_PROPERTY = "weir.test.postgres.runAs";

  private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+)/([^?]*)(\\?.*)?");
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;

  private final EmbeddedPostgresProcess process; // null for an external server
  private final String base;
  private final String adminDatabase;
  private final String query;
  private final List<String> created = new ArrayList<>();

  private PostgresServer(EmbeddedPostgresProcess process, String adminUrl) {
    this.process = process;
    Matcher m = URL.matcher(adminUrl);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "-D"
              + URL_PROPERTY
              + "="
              + adminUrl
              + " is no PostgreSQL JDBC URL; expected"
              + " jdbc:postgresql://host:port/database?user=...&password=...");
    }
    this.base = m.group(1);
    this.adminDatabase = m.group(2).isEmpty() ? "postgres" : m.group(2);
    this.query = m.group(3) == null ? "" : m.group(3);
  }

  /**
   * Starts a server of its own: the external one when {@link #URL_PROPERTY} is set, else a new
   * embedded one.
   *
   * @return the server, accepting connections; close it when done
   * @throws IllegalStateException when the server cannot be started or does not allow prepared
   *     transactions
   */
  public static PostgresServer start() {
    String external = System.getProperty(URL_PROPERTY, "").trim();
    if (!external.isEmpty()) {
      PostgresServer server = new PostgresServer(null, external);
      server.checkPreparedTransactions();
      return server;
    }
    return startEmbedded(Map.of());
  }

  /**
   * Starts a new embedded server whatever {@link #URL_PROPERTY} says.
   *
   * @param settings server settings on top of the defaults, e.g. {@code Map.of("fsync", "on")}
   * @return the server, accepting connections; close it when done
   * @throws IllegalStateException when the server cannot be started; the message holds its log
   */
  public static PostgresServer startEmbedded(Map<String, String> settings) {
    EmbeddedPostgresProcess process = EmbeddedPostgresProcess.start(Map.copyOf(settings));
    return new PostgresServer(process, process.adminUrl());
  }

  /**
   * The server shared by every test of this JVM, started at the first call and closed when the JVM
   * exits. Tests keep apart by working in their own database ({@link #createDatabase(String)}).
   *
   * @return the shared server; do not close it
   */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "weir-postgres-shutdown"));
      shared = server;
    }
    return shared;
  }

  /**
   * Whether this is the embedded server (not one named by {@link #URL_PROPERTY}).
   *
   * @return true for the embedded server
   */
  public boolean embedded() {
    return process != null;
  }

  /**
   * The JDBC URL of the administrative database, with credentials.
   *
   * @return a URL {@link DriverManager} connects with
   */
  public String jdbcUrl() {
    return jdbcUrl(adminDatabase);
  }

  /**
   * The JDBC URL of a database of this server, with credentials.
   *
   * @param database the database name
   * @return a URL {@link DriverManager} connects with
   */
  public String jdbcUrl(String database) {
    Objects.requireNonNull(database, "database");
    return base + "/" + database + query;
  }

  /**
   * Creates an empty database with a name no other test of this JVM uses.
   *
   * @param prefix the start of its name: lower-case letters, digits and underscores
   * @return the JDBC URL of the new database
   * @throws IllegalArgumentException when the prefix is not a plain identifier
   * @throws IllegalStateException when the server refuses
   */
  public String createDatabase(String prefix) {
    if (!prefix.matches("[a-z][a-z0-9_]{0,40}")) {
      throw new IllegalArgumentException(
          "database prefix '" + prefix + "' must match [a-z][a-z0-9_]{0,40}");
    }
    String name =
        String.format(
            Locale.ROOT,
            "%s_%d_%d",
            prefix,
            ProcessHandle.current().pid(),
            DATABASES.incrementAndGet());
    execute("CREATE DATABASE " + name);
    synchronized (created) {
      created.add(name);
    }
    return jdbcUrl(name);
  }

  /**
   * Stops the embedded server and deletes its data; for an external server, drops the databases
   * {@link #createDatabase(String)} made (rolling back their prepared transactions first).
   */
  @Override
  public void close() {
    if (process != null) {
      process.close();
      return;
    }
    List<String> names;
    synchronized (created) {
      names = List.copyOf(created);
      created.clear();
    }
    for (String name : names) {
      try {
        rollbackPrepared(name);
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (RuntimeException e) {
        System.err.println("weir: could not drop test database " + name + ": " + e);
      }
    }
  }

  @Override
  public String toString() {
    return (embedded() ? "embedded PostgreSQL at " : "external PostgreSQL at ") + base;
  }

  private void rollbackPrepared(String database) {
    try (Connection c = DriverManager.getConnection(jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT gid FROM pg_prepared_xacts WHERE database = '" + database + "'")) {
      List<String> gids = new ArrayList<>();
      while (rs.next()) {
        gids.add(rs.getString(1));
      }
      // ROLLBACK PREPARED must run in the database of the transaction.
      try (Connection d = DriverManager.getConnection(jdbcUrl(database));
          Statement ds = d.createStatement()) {
        for (String gid : gids) {
          ds.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not roll back prepared transactions of " + database, e);
    }
  }

  private void checkPreparedTransactions() {
    try (Connection c = DriverManager.getConnection(jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW max_prepared_transactions")) {
      rs.next();
      if (rs.getInt(1) < 1) {
        throw new IllegalStateException(
            "the PostgreSQL server of -D"
                + URL_PROPERTY
                + " has max_prepared_transactions=0; the exactly-once sink needs prepared"
                + " transactions: set it to 20 or more in postgresql.conf and restart the server");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach the PostgreSQL server of -D" + URL_PROPERTY + " (" + base + ")", e);
    }
  }

  private void execute(String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + this, e);
    }
  }
}
