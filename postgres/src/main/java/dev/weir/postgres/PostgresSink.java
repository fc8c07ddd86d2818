package dev.weir.postgres;

import dev.weir.errors.WeirException;
import dev.weir.sink.TwoPhaseCommitSink;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records into PostgreSQL through one parameterised statement, in one of two modes.
 *
 * <ul>
 *   <li>{@link Mode#EXACTLY_ONCE}: each task commit's records go into one database transaction,
 *       which is prepared ({@code PREPARE TRANSACTION}) before the Kafka commit and committed
 *       ({@code COMMIT PREPARED}) after it. Readers see each record exactly once, whatever crashes.
 *       Needs {@code max_prepared_transactions > 0} on the server.
 *   <li>{@link Mode#UPSERT}: records are written in batches in ordinary transactions, committed
 *       before the Kafka commit; after a crash some are written again, so the statement must be
 *       idempotent ({@code INSERT ... ON CONFLICT ... DO UPDATE}, see {@link #upsertSql}). No
 *       prepared transactions; readers may see a key's value move back and forth during a replay.
 * </ul>
 *
 * <pre>{@code
 * stream.sinkTo(
 *     PostgresSink.<Order>builder()
 *         .url("jdbc:postgresql://db/shop?user=weir")
 *         .sql("INSERT INTO orders (id, amount) VALUES (?, ?)")
 *         .statementBuilder((ps, o) -> { ps.setLong(1, o.id()); ps.setLong(2, o.amount()); })
 *         .build());
 * }</pre>
 *
 * <p>Global transaction ids are {@code weir:<application>-<sink>-<task>:<sequence>} (the middle
 * part hashed when long), so recovery finds exactly this task's prepared transactions in {@code
 * pg_prepared_xacts}: those the committed state names are committed, all others rolled back. Each
 * exactly-once transaction also inserts a row naming itself into a marker table (by default {@code
 * weir_sink_transactions}, created when missing), so that a repeated commit of a transaction that
 * is already committed is a no-op while one that somebody rolled back fails the task (its records
 * are lost) instead of passing silently.
 *
 * <p>Failures: a record the statement builder rejects goes through the application's processing
 * error handler and nothing of it is written. A failure of the database (a batch, the prepare, the
 * commit) fails the task with a {@link WeirException} naming the sink; the task rolls back to its
 * last commit and retries. Failures that a new attempt can cure (a lost connection, a deadlock, a
 * serialisation failure) are first retried {@link Builder#maxRetries} times where that is safe:
 * committing and rolling back prepared transactions, connecting, and upsert batches.
 *
 * <p>Each task opens two connections: one for the records and one in auto-commit mode for {@code
 * COMMIT PREPARED}, which may not run inside a transaction.
 *
 * @param <IN> the record type
 */
public final class PostgresSink<IN> extends TwoPhaseCommitSink<IN, PostgresTransaction> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

  /** How the sink makes its writes safe against replays. */
  public enum Mode {
    /** Prepared transactions committed after the Kafka commit: every record once. */
    EXACTLY_ONCE,
    /** Batches committed before the Kafka commit; replays rewrite rows, so upsert. */
    UPSERT
  }

  private final String url;
  private final Properties connectionProperties;
  private final String sql;
  private final JdbcStatementBuilder<IN> statementBuilder;
  private final Mode mode;
  private final int batchSize;
  private final int maxRetries;
  private final Duration retryBackoff;
  private final String markerTable;

  private transient String name;
  private transient String idPrefix;
  private transient Connection data;
  private transient Connection control;
  private transient PreparedStatement statement;
  private transient List<IN> batch;
  private transient InitContext context;

  private PostgresSink(Builder<IN> b) {
    this.url = b.url;
    this.connectionProperties = b.properties;
    this.sql = b.sql;
    this.statementBuilder = b.statementBuilder;
    this.mode = b.mode;
    this.batchSize = b.batchSize;
    this.maxRetries = b.maxRetries;
    this.retryBackoff = b.retryBackoff;
    this.markerTable = b.markerTable;
  }

  /**
   * Starts a sink definition.
   *
   * @param <IN> the record type
   * @return a builder with batch size 1000, 3 retries from 200 ms, exactly-once mode
   */
  public static <IN> Builder<IN> builder() {
    return new Builder<>();
  }

  /**
   * The statement of an upsert: {@code INSERT INTO table (keys..., values...) VALUES (?, ...) ON
   * CONFLICT (keys...) DO UPDATE SET value = EXCLUDED.value, ...}. Parameters follow the key
   * columns, then the value columns, in the order given.
   *
   * @param table the table, optionally schema-qualified; plain identifiers only
   * @param keyColumns the columns of a unique index or primary key; at least one
   * @param valueColumns the columns to overwrite; at least one
   * @return the SQL
   * @throws IllegalArgumentException when a name is no plain identifier or a list is empty
   */
  public static String upsertSql(String table, List<String> keyColumns, List<String> valueColumns) {
    if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
      throw new IllegalArgumentException("table '" + table + "' is no plain identifier");
    }
    if (keyColumns.isEmpty() || valueColumns.isEmpty()) {
      throw new IllegalArgumentException("an upsert needs key columns and value columns");
    }
    List<String> all = new ArrayList<>(keyColumns);
    all.addAll(valueColumns);
    for (String column : all) {
      if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("column '" + column + "' is no plain identifier");
      }
    }
    List<String> updates = new ArrayList<>();
    for (String column : valueColumns) {
      updates.add(column + " = EXCLUDED." + column);
    }
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", all)
        + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(all.size(), "?"))
        + ") ON CONFLICT ("
        + String.join(", ", keyColumns)
        + ") DO UPDATE SET "
        + String.join(", ", updates);
  }

  /**
   * The mode this sink writes in.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  @Override
  public void open(InitContext context) throws Exception {
    this.context = context;
    name = context.sinkName();
    idPrefix = PreparedTransactions.globalIdPrefix(context.transactionIdPrefix());
    batch = new ArrayList<>();
    try {
      data = connect(false);
      control = connect(true);
      statement = data.prepareStatement(sql);
      if (mode == Mode.EXACTLY_ONCE) {
        if (PreparedTransactions.maxPreparedTransactions(control) < 1) {
          throw new WeirException(
              "PostgreSQL sink '"
                  + name
                  + "' writes exactly once with prepared transactions, which the server at "
                  + url
                  + " disables (max_prepared_transactions=0): set max_prepared_transactions to at"
                  + " least the number of tasks writing to it and restart the server, or build"
                  + " the sink with .mode(Mode.UPSERT) and an idempotent statement");
        }
        PreparedTransactions.createMarkerTable(control, markerTable);
      }
    } catch (SQLException e) {
      throw failure("could not open its connections to " + url, e);
    }
  }

  @Override
  public PostgresTransaction beginTransaction() {
    // Read here, as the SPI says: the sequence of the transaction being begun.
    long sequence = context.transactionSequence();
    return new PostgresTransaction(idPrefix + sequence, sequence);
  }

  @Override
  public void invoke(PostgresTransaction transaction, IN value, Context context)
      throws SQLException {
    try {
      statementBuilder.accept(statement, value);
    } catch (SQLException | RuntimeException e) {
      // Parameters set before the failure must not reach the batch with the next record's.
      statement.clearParameters();
      throw e;
    }
    statement.addBatch();
    batch.add(value);
    if (batch.size() >= batchSize) {
      flush(transaction);
    }
  }

  @Override
  public void preCommit(PostgresTransaction transaction) {
    flush(transaction);
    if (mode == Mode.UPSERT) {
      return; // flush committed
    }
    try {
      PreparedTransactions.prepare(data, markerTable, idPrefix, transaction);
      // PREPARE TRANSACTION in a failed transaction block rolls back instead of failing: check.
      if (!PreparedTransactions.isPrepared(control, transaction.globalId())) {
        throw new SQLException("the server did not keep the prepared transaction");
      }
    } catch (SQLException e) {
      rollbackQuietly();
      throw failure(
          "could not prepare transaction '"
              + transaction.globalId()
              + "' (PREPARE TRANSACTION); the task rolls back and retries"
              + (e.getMessage() != null && e.getMessage().contains("max_prepared_transactions")
                  ? ". Raise max_prepared_transactions on the server: each task of each"
                      + " exactly-once sink holds up to one"
                  : ""),
          e);
    }
  }

  @Override
  public void commit(PostgresTransaction transaction) {
    if (mode == Mode.UPSERT) {
      return;
    }
    try {
      boolean now =
          Retrying.run(
              maxRetries,
              retryBackoff,
              attempt ->
                  PreparedTransactions.commit(
                      controlConnection(attempt), markerTable, transaction));
      if (now) {
        PreparedTransactions.forgetBefore(control, markerTable, idPrefix, transaction.sequence());
      }
    } catch (SQLException e) {
      throw failure(
          "could not commit prepared transaction '"
              + transaction.globalId()
              + "' (COMMIT PREPARED) after its Kafka transaction committed",
          e);
    }
  }

  @Override
  public void recoverAndCommit(PostgresTransaction transaction) {
    commit(transaction);
  }

  @Override
  public void abort(PostgresTransaction transaction) {
    statementReset();
    rollbackQuietly();
    if (mode == Mode.UPSERT) {
      return;
    }
    // abort() follows a failed preCommit too, which may have prepared before it failed.
    try {
      Retrying.run(
          maxRetries,
          retryBackoff,
          attempt -> {
            Connection c = controlConnection(attempt);
            if (PreparedTransactions.isPrepared(c, transaction.globalId())) {
              PreparedTransactions.rollback(c, transaction.globalId());
            }
            return null;
          });
    } catch (SQLException e) {
      throw failure("could not roll back transaction '" + transaction.globalId() + "'", e);
    }
  }

  @Override
  public void recoverAndAbort(InitContext context, Collection<PostgresTransaction> committed) {
    if (mode == Mode.UPSERT) {
      return;
    }
    Set<String> known = new HashSet<>();
    for (PostgresTransaction t : committed) {
      known.add(t.globalId());
    }
    try {
      List<String> leftovers = PreparedTransactions.preparedWithPrefix(control, idPrefix);
      for (String id : leftovers) {
        if (known.contains(id)) {
          // recoverAndCommit ran first, so this is only a second line of defence.
          Retrying.run(
              maxRetries,
              retryBackoff,
              attempt ->
                  PreparedTransactions.commit(controlConnection(attempt), markerTable, parse(id)));
        } else {
          Retrying.run(
              maxRetries,
              retryBackoff,
              attempt -> {
                PreparedTransactions.rollback(controlConnection(attempt), id);
                return null;
              });
        }
      }
      if (!leftovers.isEmpty()) {
        LOG.info(
            "PostgreSQL sink '{}': rolled back {} prepared transaction(s) that no Kafka commit"
                + " recorded: {}",
            name,
            leftovers.size() - (int) leftovers.stream().filter(known::contains).count(),
            leftovers);
      }
    } catch (SQLException e) {
      throw failure("could not recover the prepared transactions named '" + idPrefix + "*'", e);
    }
  }

  @Override
  public Serde<PostgresTransaction> transactionSerde() {
    return PostgresTransaction.serde();
  }

  @Override
  public void close() {
    rollbackQuietly();
    for (AutoCloseable c : new AutoCloseable[] {statement, data, control}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.debug("PostgreSQL sink '{}': closing failed: {}", name, e.toString());
        }
      }
    }
    statement = null;
    data = null;
    control = null;
  }

  @Override
  public String toString() {
    return "PostgresSink[" + mode + ", " + sql + "]";
  }

  /** Executes the batch: inside the open transaction, or (upsert) committed, with retries. */
  private void flush(PostgresTransaction transaction) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      if (mode == Mode.EXACTLY_ONCE) {
        statement.executeBatch();
      } else {
        Retrying.run(maxRetries, retryBackoff, this::upsertAttempt);
      }
      batch.clear();
    } catch (SQLException e) {
      int size = batch.size();
      statementReset();
      rollbackQuietly();
      throw failure(
          "could not write a batch of "
              + size
              + " records"
              + (mode == Mode.EXACTLY_ONCE
                  ? " into transaction '" + transaction.globalId() + "'"
                  : "")
              + "; the task rolls back and retries from its last commit",
          e);
    }
  }

  private Void upsertAttempt(int attempt) throws SQLException {
    if (attempt > 0) {
      // The batch of the failed attempt is gone with its transaction: rebuild it.
      rollbackQuietly();
      if (!data.isValid(5)) {
        closeQuietly(data);
        data = connect(false);
      }
      closeQuietly(statement);
      statement = data.prepareStatement(sql);
      for (IN value : batch) {
        statementBuilder.accept(statement, value);
        statement.addBatch();
      }
    }
    statement.executeBatch();
    data.commit();
    return null;
  }

  private Connection controlConnection(int attempt) throws SQLException {
    if (attempt > 0 && (control == null || !control.isValid(5))) {
      closeQuietly(control);
      control = connect(true);
    }
    return control;
  }

  private Connection connect(boolean autoCommit) throws SQLException {
    return Retrying.run(
        maxRetries,
        retryBackoff,
        attempt -> {
          Connection c = DriverManager.getConnection(url, connectionProperties);
          c.setAutoCommit(autoCommit);
          return c;
        });
  }

  private PostgresTransaction parse(String globalId) {
    return new PostgresTransaction(
        globalId, Long.parseLong(globalId.substring(globalId.lastIndexOf(':') + 1)));
  }

  private void statementReset() {
    if (batch != null) {
      batch.clear();
    }
    if (statement != null) {
      try {
        statement.clearBatch();
        statement.clearParameters();
      } catch (SQLException e) {
        LOG.debug("PostgreSQL sink '{}': clearing the batch failed: {}", name, e.toString());
      }
    }
  }

  private void rollbackQuietly() {
    if (data != null) {
      try {
        data.rollback();
      } catch (SQLException e) {
        LOG.debug("PostgreSQL sink '{}': rollback failed: {}", name, e.toString());
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // A broken connection's close fails; it is being replaced anyway.
      }
    }
  }

  private WeirException failure(String what, SQLException e) {
    SQLException cause = e;
    if (e instanceof BatchUpdateException && e.getNextException() != null) {
      cause = e.getNextException(); // the server's reason; the batch exception only counts rows
    }
    return new WeirException(
        "PostgreSQL sink '" + name + "' (" + mode + "): " + what + ": " + cause.getMessage(), e);
  }

  /**
   * Defines a {@link PostgresSink}. Not thread-safe; {@link #build()} checks it.
   *
   * @param <IN> the record type
   */
  public static final class Builder<IN> {
    private String url;
    private final Properties properties = new Properties();
    private String sql;
    private JdbcStatementBuilder<IN> statementBuilder;
    private Mode mode = Mode.EXACTLY_ONCE;
    private int batchSize = 1000;
    private int maxRetries = 3;
    private Duration retryBackoff = Duration.ofMillis(200);
    private String markerTable = "weir_sink_transactions";

    private Builder() {}

    /**
     * The database, as a PostgreSQL JDBC URL.
     *
     * @param url e.g. {@code jdbc:postgresql://db:5432/shop?user=weir}
     * @return this builder
     */
    public Builder<IN> url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The user and password, when not in the URL.
     *
     * @param user the user name
     * @param password the password; null for none
     * @return this builder
     */
    public Builder<IN> credentials(String user, String password) {
      properties.setProperty("user", Objects.requireNonNull(user, "user"));
      if (password != null) {
        properties.setProperty("password", password);
      }
      return this;
    }

    /**
     * The statement executed once per record, with parameters ({@code ?}).
     *
     * @param sql an INSERT (exactly once) or an idempotent upsert ({@link #upsertSql})
     * @return this builder
     */
    public Builder<IN> sql(String sql) {
      this.sql = Objects.requireNonNull(sql, "sql");
      return this;
    }

    /**
     * Maps a record to the statement's parameters.
     *
     * @param statementBuilder the mapping; serializable
     * @return this builder
     */
    public Builder<IN> statementBuilder(JdbcStatementBuilder<IN> statementBuilder) {
      this.statementBuilder = Objects.requireNonNull(statementBuilder, "statementBuilder");
      return this;
    }

    /**
     * The mode; {@link Mode#EXACTLY_ONCE} by default.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder<IN> mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Records per JDBC batch; a batch is sent when full and at every task commit.
     *
     * @param batchSize at least 1; default 1000
     * @return this builder
     */
    public Builder<IN> batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Retries of work that is safe to repeat, after a failure a retry can cure.
     *
     * @param maxRetries at least 0; default 3
     * @param backoff the pause before the first retry, doubled for each next; default 200 ms
     * @return this builder
     */
    public Builder<IN> retries(int maxRetries, Duration backoff) {
      this.maxRetries = maxRetries;
      this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * The table of commit markers of exactly-once transactions, created when missing.
     *
     * @param table a plain, optionally schema-qualified identifier; default {@code
     *     weir_sink_transactions}
     * @return this builder
     */
    public Builder<IN> markerTable(String table) {
      this.markerTable = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Checks the definition and builds the sink.
     *
     * @return the sink
     * @throws IllegalArgumentException naming what is missing or out of range, and the fix
     */
    public PostgresSink<IN> build() {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "PostgresSink needs .url(\"jdbc:postgresql://host:port/database\"), got " + url);
      }
      if (sql == null || statementBuilder == null) {
        throw new IllegalArgumentException(
            "PostgresSink needs .sql(...) and .statementBuilder(...): the statement and how a"
                + " record fills its parameters");
      }
      if (batchSize < 1 || maxRetries < 0 || retryBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "PostgresSink: batchSize must be at least 1 (is "
                + batchSize
                + "), retries at least 0 (is "
                + maxRetries
                + ") and the backoff not negative (is "
                + retryBackoff
                + ")");
      }
      if (!markerTable.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
        throw new IllegalArgumentException(
            "PostgresSink: marker table '" + markerTable + "' is no plain identifier");
      }
      return new PostgresSink<>(this);
    }
  }
}
