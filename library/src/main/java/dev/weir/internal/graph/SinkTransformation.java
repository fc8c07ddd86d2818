package dev.weir.internal.graph;

import java.util.List;
import java.util.Objects;

/** Writes its input to a Kafka topic. */
public final class SinkTransformation<T> extends Transformation<Void> {
  private final Transformation<T> input;
  private final SinkSpec<T> sink;

  /**
   * Creates the node.
   *
   * @param id the node's id in creation order
   * @param input the node whose records are written
   * @param sink the topic and how records are written
   */
  public SinkTransformation(int id, Transformation<T> input, SinkSpec<T> sink) {
    super(id, "sink", null);
    this.input = Objects.requireNonNull(input, "input");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** The node whose records are written. */
  public Transformation<T> input() {
    return input;
  }

  /** The topic and how records are written. */
  public SinkSpec<T> sink() {
    return sink;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of(input);
  }
}
