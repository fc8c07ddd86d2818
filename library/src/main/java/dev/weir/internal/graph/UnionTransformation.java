package dev.weir.internal.graph;

import java.util.List;

/** Merges streams of one type; no order across inputs, no de-duplication. */
public final class UnionTransformation<T> extends Transformation<T> {
  private final List<Transformation<T>> unioned;

  public UnionTransformation(int id, List<Transformation<T>> inputs) {
    super(id, "union", inputs.get(0).serde());
    this.unioned = List.copyOf(inputs);
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.copyOf(unioned);
  }
}
