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
}
