package dev.weir.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The SQL of prepared transactions, on a connection in auto-commit mode (COMMIT PREPARED and
 * ROLLBACK PREPARED may not run inside a transaction block), plus the table of commit markers.
 *
 * <p>Markers: every exactly-once transaction inserts one row naming itself into {@code
 * markerTable}, so the row becomes visible exactly when the transaction commits. That tells "this
 * prepared transaction is gone because it was committed" (a repeated commit, which must be a no-op)
 * from "it is gone because someone rolled it back" (its records are lost, which must fail loudly):
 * {@code COMMIT PREPARED} of an unknown id cannot tell them apart.
 */
final class PreparedTransactions {

  /** PostgreSQL's limit on a global transaction id is 200 bytes; keep well below it. */
  private static final int MAX_PREFIX = 150;

  private static final String UNDEFINED_OBJECT = "42704";
  private static final String DUPLICATE_TABLE = "42P07";
  private static final String UNIQUE_VIOLATION = "23505";

  private PreparedTransactions() {}

  /**
   * The start of every global id of one task's copy of one sink: {@code weir:<prefix>:}, with the
   * SPI's prefix replaced by its hash when it is too long.
   */
  static String globalIdPrefix(String transactionIdPrefix) {
    String p = transactionIdPrefix;
    if (p.getBytes(StandardCharsets.UTF_8).length > MAX_PREFIX) {
      try {
        byte[] hash =
            MessageDigest.getInstance("SHA-256").digest(p.getBytes(StandardCharsets.UTF_8));
        p = "h" + HexFormat.of().formatHex(hash, 0, 20);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JDK", e);
      }
    }
    return "weir:" + p + ":";
  }

  static void createMarkerTable(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (global_id text PRIMARY KEY, id_prefix text NOT NULL, sequence bigint NOT NULL)");
    } catch (SQLException e) {
      // Two tasks creating the table at once: the loser sees one of these; the table exists.
      if (!DUPLICATE_TABLE.equals(e.getSQLState()) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  static int maxPreparedTransactions(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW max_prepared_transactions")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Inserts the marker and prepares; on the data connection, inside the open transaction. */
  static void prepare(Connection data, String table, String prefix, PostgresTransaction t)
      throws SQLException {
    try (PreparedStatement marker =
        data.prepareStatement(
            "INSERT INTO " + table + " (global_id, id_prefix, sequence) VALUES (?, ?, ?)")) {
      marker.setString(1, t.globalId());
      marker.setString(2, prefix);
      marker.setLong(3, t.sequence());
      marker.executeUpdate();
    }
    try (Statement s = data.createStatement()) {
      s.execute("PREPARE TRANSACTION " + literal(t.globalId()));
    }
  }

  static boolean isPrepared(Connection control, String globalId) throws SQLException {
    try (PreparedStatement s =
        control.prepareStatement(
            "SELECT 1 FROM pg_prepared_xacts WHERE gid = ? AND database = current_database()")) {
      s.setString(1, globalId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Commits a prepared transaction.
   *
   * @return true when this call committed it, false when it had been committed before
   * @throws LostTransactionException when it is neither prepared nor committed
   */
  static boolean commit(Connection control, String table, PostgresTransaction t)
      throws SQLException {
    try (Statement s = control.createStatement()) {
      s.execute("COMMIT PREPARED " + literal(t.globalId()));
      return true;
    } catch (SQLException e) {
      if (!UNDEFINED_OBJECT.equals(e.getSQLState())) {
        throw e;
      }
      if (committed(control, table, t.globalId())) {
        return false;
      }
      throw new LostTransactionException(t.globalId(), e);
    }
  }

  /** Rolls a prepared transaction back; one that is already gone is fine. */
  static void rollback(Connection control, String globalId) throws SQLException {
    try (Statement s = control.createStatement()) {
      s.execute("ROLLBACK PREPARED " + literal(globalId));
    } catch (SQLException e) {
      if (!UNDEFINED_OBJECT.equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  /** The prepared transactions of this database whose ids start with {@code prefix}. */
  static List<String> preparedWithPrefix(Connection control, String prefix) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s =
        control.prepareStatement(
            "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()"
                + " AND starts_with(gid, ?) ORDER BY prepared")) {
      s.setString(1, prefix);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** Drops the markers older than a committed transaction: no handle can name them any more. */
  static void forgetBefore(Connection control, String table, String prefix, long sequence)
      throws SQLException {
    try (PreparedStatement s =
        control.prepareStatement(
            "DELETE FROM " + table + " WHERE id_prefix = ? AND sequence < ?")) {
      s.setString(1, prefix);
      s.setLong(2, sequence);
      s.executeUpdate();
    }
  }

  private static boolean committed(Connection control, String table, String globalId)
      throws SQLException {
    try (PreparedStatement s =
        control.prepareStatement("SELECT 1 FROM " + table + " WHERE global_id = ?")) {
      s.setString(1, globalId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** A prepared transaction that is gone without having been committed: its records are lost. */
  static final class LostTransactionException extends SQLException {
    private static final long serialVersionUID = 1L;

    LostTransactionException(String globalId, SQLException cause) {
      super(
          "prepared transaction '"
              + globalId
              + "' is neither prepared nor committed: someone rolled it back (ROLLBACK PREPARED by"
              + " hand, a restore of the database from a backup), after the Kafka transaction that"
              + " recorded it had committed",
          "XX000",
          cause);
    }
  }
}
