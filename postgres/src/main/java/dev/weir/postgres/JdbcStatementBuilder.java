package dev.weir.postgres;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Sets the parameters of the sink's statement from one record.
 *
 * <p>Throw to reject a record (a missing field, a value out of range): the record then goes through
 * the application's processing error handler (fail, skip or dead-letter) and nothing of it is
 * written, because the sink adds the parameters to its batch only after this returns. Checks the
 * database would make (a constraint) fail the whole batch instead, and with it the task: validate
 * here what you can.
 *
 * <p>Serializable: each task gets its own copy. Called on the task's thread.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface JdbcStatementBuilder<T> extends Serializable {

  /**
   * Sets every parameter of {@code statement} from {@code value}.
   *
   * @param statement the sink's statement; set parameters only, do not execute or close it
   * @param value the record; not null
   * @throws SQLException when a parameter cannot be set; the record's failure
   */
  void accept(PreparedStatement statement, T value) throws SQLException;
}
