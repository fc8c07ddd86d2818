package dev.weir.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.errors.WeirException;
import dev.weir.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's prepared-transaction logic against a real PostgreSQL, driven as the runtime drives it,
 * with "crashes" (a copy dropped without commit or abort, its connections closed) at every step.
 */
class PostgresSinkProtocolIT {

  private String url;

  @BeforeEach
  void createTable() throws SQLException {
    url = PostgresServer.shared().createDatabase("sink");
    sql("CREATE TABLE orders (id bigint PRIMARY KEY, amount bigint NOT NULL)");
  }

  @Test
  void preparedRecordsAreInvisibleUntilCommitAndCommitIsIdempotent() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> sink = exactlyOnce(2);
    sink.open(task);
    sink.recoverAndAbort(task, List.of());
    PostgresTransaction t = sink.beginTransaction();
    for (long id = 1; id <= 5; id++) {
      sink.invoke(t, new long[] {id, id * 10}, task); // batches of 2 reach the server early
    }
    sink.preCommit(t);
    assertThat(rows()).isEmpty();
    assertThat(prepared()).containsExactly("weir:app-orders-db-0_1:0");
    sink.commit(t);
    sink.commit(t);
    sink.close();
    assertThat(rows()).containsExactly("1=10", "2=20", "3=30", "4=40", "5=50");
    assertThat(prepared()).isEmpty();
  }

  @Test
  void crashBeforePreCommitLeavesNothing() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> first = exactlyOnce(100);
    first.open(task);
    PostgresTransaction t = first.beginTransaction();
    first.invoke(t, new long[] {1, 10}, task);
    first.close(); // the process dies: its open transaction dies with its connection

    PostgresSink<long[]> second = recovered(task, List.of());
    second.close();
    assertThat(rows()).isEmpty();
    assertThat(prepared()).isEmpty();
  }

  @Test
  void crashAfterPreCommitBeforeTheKafkaCommitRollsBack() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> first = exactlyOnce(100);
    first.open(task);
    PostgresTransaction t = first.beginTransaction();
    first.invoke(t, new long[] {1, 10}, task);
    first.preCommit(t);
    first.close(); // a prepared transaction outlives its session

    assertThat(prepared()).containsExactly("weir:app-orders-db-0_1:0");
    PostgresSink<long[]> second = recovered(task, List.of()); // Kafka never recorded t
    // The sequence is used again once its transaction is gone.
    PostgresTransaction again = second.beginTransaction();
    assertThat(again).isEqualTo(t);
    second.invoke(again, new long[] {1, 11}, task);
    second.preCommit(again);
    second.commit(again);
    second.close();
    assertThat(rows()).containsExactly("1=11");
    assertThat(prepared()).isEmpty();
  }

  @Test
  void crashAfterTheKafkaCommitBeforeTheExternalCommitCommitsAtRecovery() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> first = exactlyOnce(100);
    first.open(task);
    PostgresTransaction t = first.beginTransaction();
    first.invoke(t, new long[] {1, 10}, task);
    first.invoke(t, new long[] {2, 20}, task);
    first.preCommit(t);
    first.close();

    PostgresSink<long[]> second = recovered(task, List.of(t));
    second.close();
    assertThat(rows()).containsExactly("1=10", "2=20");
    // A crash during recovery: the next owner commits the same handle again, a no-op.
    PostgresSink<long[]> third = recovered(task, List.of(t));
    third.close();
    assertThat(rows()).containsExactly("1=10", "2=20");
    assertThat(prepared()).isEmpty();
  }

  @Test
  void recoveryTouchesOnlyItsOwnTasksTransactions() throws Exception {
    FakeTask mine = new FakeTask("0_1");
    FakeTask other = new FakeTask("0_10"); // its prefix starts with mine's without the separator
    PostgresSink<long[]> otherSink = exactlyOnce(100);
    otherSink.open(other);
    PostgresTransaction t = otherSink.beginTransaction();
    otherSink.invoke(t, new long[] {7, 70}, other);
    otherSink.preCommit(t);

    recovered(mine, List.of()).close();
    assertThat(prepared()).containsExactly("weir:app-orders-db-0_10:0");
    otherSink.commit(t);
    otherSink.close();
    assertThat(rows()).containsExactly("7=70");
  }

  @Test
  void aPreparedTransactionRolledBackByHandFailsTheCommitNamingTheSink() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> sink = exactlyOnce(100);
    sink.open(task);
    PostgresTransaction t = sink.beginTransaction();
    sink.invoke(t, new long[] {1, 10}, task);
    sink.preCommit(t);
    sql("ROLLBACK PREPARED 'weir:app-orders-db-0_1:0'");
    assertThatThrownBy(() -> sink.commit(t))
        .isInstanceOf(WeirException.class)
        .hasMessageStartingWith(
            "PostgreSQL sink 'orders-db' (EXACTLY_ONCE): could not commit prepared transaction"
                + " 'weir:app-orders-db-0_1:0' (COMMIT PREPARED) after its Kafka transaction"
                + " committed: prepared transaction 'weir:app-orders-db-0_1:0' is neither"
                + " prepared nor committed: someone rolled it back");
    sink.close();
  }

  @Test
  void aRejectedRecordIsNotHalfWrittenAndTheOthersAre() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> sink =
        PostgresSink.<long[]>builder()
            .url(url)
            .sql("INSERT INTO orders (id, amount) VALUES (?, ?)")
            .statementBuilder(
                (ps, r) -> {
                  ps.setLong(1, r[0]);
                  if (r[1] < 0) {
                    throw new IllegalArgumentException("negative amount " + r[1]);
                  }
                  ps.setLong(2, r[1]);
                })
            .build();
    sink.open(task);
    PostgresTransaction t = sink.beginTransaction();
    sink.invoke(t, new long[] {1, 10}, task);
    assertThatThrownBy(() -> sink.invoke(t, new long[] {2, -1}, task))
        .isNotInstanceOf(WeirException.class) // a record failure: the error handler decides
        .hasMessage("negative amount -1");
    sink.invoke(t, new long[] {3, 30}, task);
    sink.preCommit(t);
    sink.commit(t);
    sink.close();
    assertThat(rows()).containsExactly("1=10", "3=30");
  }

  @Test
  void aBatchTheDatabaseRejectsFailsTheTaskNamingTheSink() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> sink = exactlyOnce(100);
    sink.open(task);
    PostgresTransaction t = sink.beginTransaction();
    sink.invoke(t, new long[] {1, 10}, task);
    sink.invoke(t, new long[] {1, 11}, task);
    assertThatThrownBy(() -> sink.preCommit(t))
        .isInstanceOf(WeirException.class)
        .hasMessageStartingWith(
            "PostgreSQL sink 'orders-db' (EXACTLY_ONCE): could not write a batch of 2 records into"
                + " transaction 'weir:app-orders-db-0_1:0'; the task rolls back and retries from"
                + " its last commit: ERROR: duplicate key value violates unique constraint");
    sink.abort(t);
    sink.close();
    assertThat(rows()).isEmpty();
    assertThat(prepared()).isEmpty();
  }

  @Test
  void upsertModeCommitsFullBatchesAtOnceAndReplaysOverwrite() throws Exception {
    FakeTask task = new FakeTask("0_1");
    PostgresSink<long[]> sink =
        PostgresSink.<long[]>builder()
            .url(url)
            .sql(PostgresSink.upsertSql("orders", List.of("id"), List.of("amount")))
            .statementBuilder(
                (ps, r) -> {
                  ps.setLong(1, r[0]);
                  ps.setLong(2, r[1]);
                })
            .mode(PostgresSink.Mode.UPSERT)
            .batchSize(2)
            .build();
    sink.open(task);
    sink.recoverAndAbort(task, List.of());
    PostgresTransaction t = sink.beginTransaction();
    sink.invoke(t, new long[] {1, 10}, task);
    sink.invoke(t, new long[] {2, 20}, task);
    assertThat(rows()).containsExactly("1=10", "2=20"); // a full batch is committed at once
    sink.invoke(t, new long[] {1, 11}, task);
    sink.preCommit(t);
    sink.commit(t);
    // A replay after a crash writes the same records again: the rows end the same.
    PostgresTransaction replay = sink.beginTransaction();
    sink.invoke(replay, new long[] {1, 10}, task);
    sink.invoke(replay, new long[] {2, 20}, task);
    sink.invoke(replay, new long[] {1, 11}, task);
    sink.preCommit(replay);
    sink.commit(replay);
    sink.close();
    assertThat(rows()).containsExactly("1=11", "2=20");
    assertThat(prepared()).isEmpty();
  }

  @Test
  void aServerWithoutPreparedTransactionsFailsTheOpenNamingTheSinkAndTheFix() throws Exception {
    try (PostgresServer disabled =
        PostgresServer.startEmbedded(Map.of("max_prepared_transactions", "0"))) {
      PostgresSink<long[]> sink =
          PostgresSink.<long[]>builder()
              .url(disabled.jdbcUrl())
              .sql("INSERT INTO orders (id, amount) VALUES (?, ?)")
              .statementBuilder((ps, r) -> ps.setLong(1, r[0]))
              .build();
      assertThatThrownBy(() -> sink.open(new FakeTask("0_1")))
          .isInstanceOf(WeirException.class)
          .hasMessageStartingWith(
              "PostgreSQL sink 'orders-db' writes exactly once with prepared transactions, which"
                  + " the server at "
                  + disabled.jdbcUrl()
                  + " disables (max_prepared_transactions=0): set max_prepared_transactions");
      sink.close();
    }
  }

  private PostgresSink<long[]> recovered(FakeTask task, List<PostgresTransaction> committed)
      throws Exception {
    PostgresSink<long[]> sink = exactlyOnce(100);
    sink.open(task);
    for (PostgresTransaction t : committed) {
      sink.recoverAndCommit(t);
    }
    sink.recoverAndAbort(task, committed);
    return sink;
  }

  private PostgresSink<long[]> exactlyOnce(int batchSize) {
    return PostgresSink.<long[]>builder()
        .url(url)
        .sql("INSERT INTO orders (id, amount) VALUES (?, ?)")
        .statementBuilder(
            (ps, r) -> {
              ps.setLong(1, r[0]);
              ps.setLong(2, r[1]);
            })
        .batchSize(batchSize)
        .build();
  }

  private List<String> rows() throws SQLException {
    return query("SELECT id || '=' || amount FROM orders ORDER BY id");
  }

  private List<String> prepared() throws SQLException {
    return query(
        "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() ORDER BY gid");
  }

  private List<String> query(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private void sql(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
