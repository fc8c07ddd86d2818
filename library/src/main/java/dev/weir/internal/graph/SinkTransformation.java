package dev.weir.internal.graph;

import dev.weir.stream.KafkaSink;
import java.util.List;

/** Writes its input to a Kafka topic. */
public final class SinkTransformation<T> extends Transformation<Void> {
  private final Transformation<T> input;
  private final KafkaSink<T> sink;

  public SinkTransformation(int id, Transformation<T> input, KafkaSink<T> sink) {
    super(id, "sink", null);
    this.input = input;
    this.sink = sink;
  }

  public Transformation<T> input() {
    return input;
  }

  public KafkaSink<T> sink() {
    return sink;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of(input);
  }
}
