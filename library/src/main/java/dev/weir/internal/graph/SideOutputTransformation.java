package dev.weir.internal.graph;

import dev.weir.stream.OutputTag;
import java.util.List;

/** The records a parent operator emitted to one side output. */
public final class SideOutputTransformation<T> extends Transformation<T> {
  private final Transformation<?> parent;
  private final OutputTag<T> tag;

  public SideOutputTransformation(int id, Transformation<?> parent, OutputTag<T> tag) {
    super(id, "side-output", tag.serde());
    this.parent = parent;
    this.tag = tag;
  }

  public Transformation<?> parent() {
    return parent;
  }

  public OutputTag<T> tag() {
    return tag;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of(parent);
  }
}
