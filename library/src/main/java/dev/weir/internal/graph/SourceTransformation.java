package dev.weir.internal.graph;

import dev.weir.stream.KafkaSource;
import java.util.List;

/** Reads Kafka topics. */
public final class SourceTransformation<T> extends Transformation<T> {
  private final KafkaSource<T> source;

  public SourceTransformation(int id, KafkaSource<T> source) {
    super(id, "source", source.serde());
    this.source = source;
  }

  public KafkaSource<T> source() {
    return source;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of();
  }
}
