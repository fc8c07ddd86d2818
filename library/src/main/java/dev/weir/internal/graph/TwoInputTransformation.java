package dev.weir.internal.graph;

import java.util.List;
import java.util.Objects;

/**
 * Applies an operator with two inputs of different types (connect and co-process, joins, broadcast
 * inputs). Both inputs run in the same task, so they are in the same sub-topology: when both are
 * keyed they must be co-partitioned (same key serde, same partition count), which {@link Plan}
 * checks at build time and the runtime at start.
 *
 * @param <I1> the first input's record type
 * @param <I2> the second input's record type
 * @param <O> the output record type
 */
public final class TwoInputTransformation<I1, I2, O> extends Transformation<O> {
  private final Transformation<I1> input1;
  private final Transformation<I2> input2;
  private final TwoInputSpec spec;
  private final boolean keyed;

  /**
   * Creates the node.
   *
   * @param id the node's id in creation order
   * @param kind what it is, for display and generated names ({@code co-process}...)
   * @param input1 the first input (input 0 of the operator)
   * @param input2 the second input (input 1 of the operator)
   * @param spec what the operator does
   * @param keyed whether it runs in a keyed context: both inputs keyed, state and timers shared
   */
  public TwoInputTransformation(
      int id,
      String kind,
      Transformation<I1> input1,
      Transformation<I2> input2,
      TwoInputSpec spec,
      boolean keyed) {
    super(id, kind, null);
    this.input1 = Objects.requireNonNull(input1, "input1");
    this.input2 = Objects.requireNonNull(input2, "input2");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.keyed = keyed;
  }

  /** The first input (the operator's input 0). */
  public Transformation<I1> input1() {
    return input1;
  }

  /** The second input (the operator's input 1). */
  public Transformation<I2> input2() {
    return input2;
  }

  /** What the operator does; the translator turns it into a two-input operator factory. */
  public TwoInputSpec spec() {
    return spec;
  }

  /** Whether the operator runs keyed: both inputs keyed and co-partitioned, shared keyed state. */
  public boolean keyed() {
    return keyed;
  }

  /**
   * Whether the operator keeps a store: keyed operators, and operators whose spec keeps task state
   * of its own (broadcast state).
   */
  public boolean stateful() {
    return keyed || spec.needsStore();
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of(input1, input2);
  }
}
