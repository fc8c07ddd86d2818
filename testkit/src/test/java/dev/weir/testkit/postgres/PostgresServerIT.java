package dev.weir.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

  @Test
  void preparedTransactionSurvivesItsConnectionAndCommitsFromAnother() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String url = pg.createDatabase("testkit");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id int PRIMARY KEY)");
      c.setAutoCommit(false);
      s.execute("INSERT INTO t VALUES (1), (2)");
      s.execute("PREPARE TRANSACTION 'weir-testkit-1'");
      c.setAutoCommit(true);
    }
    assertThat(rows(url)).isEmpty();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("COMMIT PREPARED 'weir-testkit-1'");
    }
    assertThat(rows(url)).containsExactly(1, 2);
  }

  @Test
  void closeStopsTheServerAndDeletesItsDirectory() throws Exception {
    PostgresServer pg = PostgresServer.startEmbedded(Map.of());
    Path dataDirectory;
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW data_directory")) {
      rs.next();
      dataDirectory = Path.of(rs.getString(1));
    }
    assertThat(dataDirectory).exists();
    pg.close();
    assertThat(Files.exists(dataDirectory.getParent())).isFalse();
  }

  private static List<Integer> rows(String url) throws Exception {
    List<Integer> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }
}
