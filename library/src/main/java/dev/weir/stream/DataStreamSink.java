package dev.weir.stream;

import dev.weir.internal.graph.Transformation;
import java.util.Objects;

/**
 * The end of a stream: a sink, which can be named.
 *
 * @param <T> the type of the records written
 */
public final class DataStreamSink<T> {
  private final Transformation<?> transformation;

  DataStreamSink(Transformation<?> transformation) {
    this.transformation = transformation;
  }

  /**
   * Names the sink in metrics, logs and {@code describe()}.
   *
   * @param name the name
   * @return this
   */
  public DataStreamSink<T> name(String name) {
    transformation.setName(Objects.requireNonNull(name, "name"));
    return this;
  }

  /**
   * Gives the sink a stable id: a sink that keeps state (a {@link
   * dev.weir.sink.TwoPhaseCommitSink}) names its store and changelog topic after it, so keep it
   * across versions of the application.
   *
   * @param uid letters, digits, '.', '_' and '-'
   * @return this
   * @throws IllegalArgumentException when {@code uid} has other characters
   * @throws NullPointerException when {@code uid} is null
   */
  public DataStreamSink<T> uid(String uid) {
    if (!Objects.requireNonNull(uid, "uid").matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "uid '" + uid + "' may contain only letters, digits, '.', '_' and '-'");
    }
    transformation.setUid(uid);
    return this;
  }
}
