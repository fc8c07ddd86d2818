package dev.weir.sink.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code toString()} of each record in UTF-8 followed by a newline. A record whose text
 * contains a line break is rejected (it would read back as two lines). Thread-safe.
 *
 * @param <IN> the record type
 */
public final class SimpleStringEncoder<IN> implements Encoder<IN> {
  private static final long serialVersionUID = 1L;

  /** Creates the encoder. */
  public SimpleStringEncoder() {}

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the text contains {@code \n} or {@code \r}
   */
  @Override
  public void encode(IN element, OutputStream stream) throws IOException {
    String s = element.toString();
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "SimpleStringEncoder writes one line per record and this record's text contains a line"
              + " break; escape it in a map() before the sink or use JsonLinesEncoder");
    }
    stream.write(s.getBytes(StandardCharsets.UTF_8));
    stream.write('\n');
  }
}
