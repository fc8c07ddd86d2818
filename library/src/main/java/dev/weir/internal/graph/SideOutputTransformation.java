package dev.weir.internal.graph;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * The records a parent operator emitted to one side output. The side output is identified by its
 * tag's name (tags are equal when their names are), so the graph needs no API type for it.
 */
public final class SideOutputTransformation<T> extends Transformation<T> {
  private final Transformation<?> parent;
  private final String tag;

  /**
   * Creates the node.
   *
   * @param id the node's id in creation order
   * @param parent the operator that emits to the side output
   * @param tag the side output tag's name
   * @param serde the tag's serde, or null
   */
  public SideOutputTransformation(int id, Transformation<?> parent, String tag, Serde<T> serde) {
    super(id, "side-output", serde);
    this.parent = Objects.requireNonNull(parent, "parent");
    this.tag = Objects.requireNonNull(tag, "tag");
  }

  /** The operator that emits to the side output. */
  public Transformation<?> parent() {
    return parent;
  }

  /** The side output tag's name. */
  public String tag() {
    return tag;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of(parent);
  }
}
