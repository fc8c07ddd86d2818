package dev.weir.internal.graph;

import dev.weir.internal.task.OperatorFactory;
import java.util.List;

/** Applies an operator (map, filter, flatMap, process...) to one input. */
public final class OneInputTransformation<I, O> extends Transformation<O> {
  private final Transformation<I> input;
  private final OperatorFactory<I, O> factory;
  private final boolean keyed;

  public OneInputTransformation(
      int id, String kind, Transformation<I> input, OperatorFactory<I, O> factory, boolean keyed) {
    super(id, kind, null);
    this.input = input;
    this.factory = factory;
    this.keyed = keyed;
  }

  public Transformation<I> input() {
    return input;
  }

  public OperatorFactory<I, O> factory() {
    return factory;
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
