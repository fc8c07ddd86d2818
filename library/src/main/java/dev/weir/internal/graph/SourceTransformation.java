package dev.weir.internal.graph;

import dev.weir.eventtime.WatermarkStrategy;
import java.util.List;
import java.util.Objects;

/** Reads Kafka topics. */
public final class SourceTransformation<T> extends Transformation<T> {
  private final SourceSpec<T> source;
  private final WatermarkStrategy<T> watermarks;

  /**
   * Creates the node.
   *
   * @param id the node's id in creation order
   * @param source what to read and how
   * @param watermarks how to assign timestamps and generate watermarks
   */
  public SourceTransformation(int id, SourceSpec<T> source, WatermarkStrategy<T> watermarks) {
    super(id, "source", source.serde());
    this.source = source;
    this.watermarks = Objects.requireNonNull(watermarks, "watermarks");
  }

  /** How timestamps are assigned and watermarks generated. */
  public WatermarkStrategy<T> watermarks() {
    return watermarks;
  }

  /** What the source reads and how. */
  public SourceSpec<T> source() {
    return source;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of();
  }
}
