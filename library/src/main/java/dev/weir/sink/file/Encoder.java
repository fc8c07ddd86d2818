package dev.weir.sink.file;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;

/**
 * Turns one record into the bytes of a row-format part file. The file sink encodes a record into a
 * buffer before it writes anything, so an encoder that throws leaves no partial record in the file;
 * the record then goes through the configured processing error handler ({@code fail}, {@code
 * log_and_skip}, {@code dead_letter}). Copied per task with the sink; called from the task's thread
 * only.
 *
 * @param <IN> the record type
 */
@FunctionalInterface
public interface Encoder<IN> extends Serializable {
  /**
   * Writes one record, including its delimiter.
   *
   * @param element the record; not null
   * @param stream where to write; a buffer, not the file
   * @throws IOException or any runtime exception when the record cannot be encoded: the record is
   *     rejected and nothing of it is written
   */
  void encode(IN element, OutputStream stream) throws IOException;
}
