package dev.weir.chaos;

import dev.weir.postgres.PostgresSink;
import dev.weir.stream.DataStream;
import dev.weir.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code --sink postgres}: the pipeline's main output also goes exactly once into the table {@value
 * #TABLE} of a PostgreSQL started for the run (or the one {@code -Dweir.test.postgres.url} names),
 * through the prepared transactions of {@link PostgresSink}; at the end the rows are read back and
 * go through a verifier of their own, so a lost, doubled or wrong row counts like a lost, doubled
 * or wrong record of the output topic.
 */
final class PostgresChaosSink implements AutoCloseable {
  static final String TABLE = "chaos_out";

  private final PostgresServer server;
  private final String url;

  private PostgresChaosSink(PostgresServer server, String url) {
    this.server = server;
    this.url = url;
  }

  /** Starts the server and creates the table: no key, so that a doubled row stays visible. */
  static PostgresChaosSink start() throws SQLException {
    PostgresServer server = PostgresServer.start();
    try {
      String url = server.createDatabase("chaos");
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + TABLE + " (k text NOT NULL, v text NOT NULL)");
      }
      return new PostgresChaosSink(server, url);
    } catch (SQLException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The database's JDBC URL, for the instances' {@code --pg-url}. */
  String url() {
    return url;
  }

  /** Adds the sink to the pipeline's main output ({@code "key:seq[:count]"}). */
  static void attach(DataStream<String> result, String url) {
    // [docs:postgres-exactly-once]
    result
        .sinkTo(
            PostgresSink.<String>builder()
                .url(url)
                .sql("INSERT INTO " + TABLE + " (k, v) VALUES (?, ?)")
                .statementBuilder(
                    (ps, v) -> {
                      ps.setString(1, ChaosPipeline.keyOf(v));
                      ps.setString(2, v);
                    })
                .build())
        .uid("chaos-postgres");
    // [/docs:postgres-exactly-once]
  }

  /** Reads every row into a fresh verifier; row numbers stand in for offsets. */
  Verifier.Verdict verify(Workload workload, ChaosPipeline.Kind kind) throws SQLException {
    Verifier rows = new Verifier(workload, kind);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.setFetchSize(10_000);
      c.setAutoCommit(false); // a fetch size streams only inside a transaction
      try (ResultSet rs = s.executeQuery("SELECT k, v FROM " + TABLE)) {
        long row = 0;
        while (rs.next()) {
          rows.accept(0, row++, rs.getString(1), rs.getString(2));
        }
      }
      c.rollback();
    }
    return rows.verdict();
  }

  @Override
  public void close() {
    server.close();
  }
}
