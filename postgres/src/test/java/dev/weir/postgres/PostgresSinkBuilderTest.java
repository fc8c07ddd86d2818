package dev.weir.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresSinkBuilderTest {

  @Test
  void upsertSqlListsKeysThenValuesAndUpdatesOnlyValues() {
    assertThat(PostgresSink.upsertSql("shop.totals", List.of("k", "window_start"), List.of("n")))
        .isEqualTo(
            "INSERT INTO shop.totals (k, window_start, n) VALUES (?, ?, ?)"
                + " ON CONFLICT (k, window_start) DO UPDATE SET n = EXCLUDED.n");
  }

  @Test
  void upsertSqlRejectsNamesThatAreNoPlainIdentifiers() {
    assertThatThrownBy(() -> PostgresSink.upsertSql("t; drop", List.of("k"), List.of("v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table 't; drop' is no plain identifier");
    assertThatThrownBy(() -> PostgresSink.upsertSql("t", List.of("k"), List.of("v w")))
        .hasMessage("column 'v w' is no plain identifier");
    assertThatThrownBy(() -> PostgresSink.upsertSql("t", List.of(), List.of("v")))
        .hasMessage("an upsert needs key columns and value columns");
  }

  @Test
  void buildNamesWhatIsMissing() {
    assertThatThrownBy(() -> PostgresSink.<String>builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PostgresSink needs .url(\"jdbc:postgresql://host:port/database\"), got null");
    assertThatThrownBy(() -> PostgresSink.<String>builder().url("jdbc:postgresql://h/d").build())
        .hasMessageStartingWith("PostgresSink needs .sql(...) and .statementBuilder(...)");
    assertThatThrownBy(
            () ->
                PostgresSink.<String>builder()
                    .url("jdbc:postgresql://h/d")
                    .sql("INSERT INTO t VALUES (?)")
                    .statementBuilder((ps, s) -> ps.setString(1, s))
                    .batchSize(0)
                    .retries(-1, Duration.ZERO)
                    .build())
        .hasMessage(
            "PostgresSink: batchSize must be at least 1 (is 0), retries at least 0 (is -1) and"
                + " the backoff not negative (is PT0S)");
  }

  @Test
  void handleSerdeRoundTripsAndRejectsUnknownVersions() {
    PostgresTransaction t = new PostgresTransaction("weir:app-s-0_3:42", 42);
    byte[] bytes = PostgresTransaction.serde().serializer().serialize("x", t);
    assertThat(PostgresTransaction.serde().deserializer().deserialize("x", bytes)).isEqualTo(t);
    bytes[0] = 9;
    byte[] bad = bytes;
    assertThatThrownBy(() -> PostgresTransaction.serde().deserializer().deserialize("x", bad))
        .hasMessageStartingWith("PostgreSQL sink handle of version 9");
  }

  @Test
  void longPrefixesAreHashedBelowPostgresLimit() {
    String prefix = PreparedTransactions.globalIdPrefix("a".repeat(300));
    assertThat(prefix).startsWith("weir:h").endsWith(":").hasSize(5 + 1 + 40 + 1);
    assertThat(PreparedTransactions.globalIdPrefix("app-s-0_1")).isEqualTo("weir:app-s-0_1:");
  }
}
