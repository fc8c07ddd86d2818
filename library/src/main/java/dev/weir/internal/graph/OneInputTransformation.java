package dev.weir.internal.graph;

import java.util.List;
import java.util.Objects;

/** Applies an operator (map, filter, flatMap, process, window...) to one input. */
public final class OneInputTransformation<I, O> extends Transformation<O> {
  private final Transformation<I> input;
  private final OperatorSpec spec;
  private final boolean keyed;

  /**
   * Creates the node.
   *
   * @param id the node's id in creation order
   * @param kind what it is, for display and generated names ({@code map}, {@code window-reduce}...)
   * @param input the node it reads
   * @param spec what the operator does
   * @param keyed whether it runs in a keyed context (keyed state and timers)
   */
  public OneInputTransformation(
      int id, String kind, Transformation<I> input, OperatorSpec spec, boolean keyed) {
    super(id, kind, null);
    this.input = Objects.requireNonNull(input, "input");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.keyed = keyed;
  }

  /** The node this operator reads. */
  public Transformation<I> input() {
    return input;
  }

  /** What the operator does; the translator turns it into an operator factory. */
  public OperatorSpec spec() {
    return spec;
  }

  /** Whether the operator runs in a keyed context (after a keyBy): keyed state and timers. */
  public boolean keyed() {
    return keyed;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of(input);
  }
}
