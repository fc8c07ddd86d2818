package dev.weir.internal.graph;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.stream.KafkaSource;
import java.util.List;

/** Reads Kafka topics. */
public final class SourceTransformation<T> extends Transformation<T> {
  private final KafkaSource<T> source;
  private final WatermarkStrategy<T> watermarks;

  public SourceTransformation(int id, KafkaSource<T> source, WatermarkStrategy<T> watermarks) {
    super(id, "source", source.serde());
    this.source = source;
    this.watermarks = watermarks;
  }

  public WatermarkStrategy<T> watermarks() {
    return watermarks;
  }

  public KafkaSource<T> source() {
    return source;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of();
  }
}
