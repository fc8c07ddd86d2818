package dev.weir.sink.file;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;

/**
 * Writes each record as one JSON document per line (newline-delimited JSON). The JSON comes from a
 * user function, for example a Jackson {@code ObjectMapper} held in the function or a Weir JSON
 * serde's serializer; a result that is empty or spans several lines (pretty-printed) is rejected,
 * so a file always reads back as one document per line. Thread-safe when the function is.
 *
 * @param <IN> the record type
 */
public final class JsonLinesEncoder<IN> implements Encoder<IN> {
  private static final long serialVersionUID = 1L;

  /**
   * Produces the UTF-8 JSON of one record.
   *
   * @param <IN> the record type
   */
  @FunctionalInterface
  public interface ToJson<IN> extends Serializable {
    /**
     * Returns the record's JSON.
     *
     * @param value the record; not null
     * @return UTF-8 JSON on one line; not null
     * @throws Exception when the record cannot be written as JSON (the record is rejected)
     */
    byte[] toJson(IN value) throws Exception;
  }

  private final ToJson<IN> toJson;

  private JsonLinesEncoder(ToJson<IN> toJson) {
    this.toJson = toJson;
  }

  /**
   * An encoder that writes what {@code toJson} returns, one document per line.
   *
   * @param toJson the record's JSON; not null
   * @param <IN> the record type
   * @return the encoder
   * @throws NullPointerException when {@code toJson} is null
   */
  public static <IN> JsonLinesEncoder<IN> of(ToJson<IN> toJson) {
    return new JsonLinesEncoder<>(java.util.Objects.requireNonNull(toJson, "toJson"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the JSON is null, empty or contains a raw line break
   */
  @Override
  public void encode(IN element, OutputStream stream) throws IOException {
    byte[] json;
    try {
      json = toJson.toJson(element);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("Writing the record as JSON failed: " + e, e);
    }
    if (json == null || json.length == 0) {
      throw new IllegalArgumentException("The record's JSON is empty; a JSON line needs a value");
    }
    for (byte b : json) {
      if (b == '\n' || b == '\r') {
        throw new IllegalArgumentException(
            "The record's JSON spans several lines (pretty-printed?); JSON lines need one document"
                + " per line: turn indentation off");
      }
    }
    stream.write(json);
    stream.write('\n');
  }
}
