package dev.weir.internal.task;

/**
 * An operator with one input: the N = 1 case of {@link StreamOperator}, which every operator of a
 * one-input transformation is (map, process, windows, sinks...). Its only input is {@link
 * #process}.
 *
 * @param <I> the input record type
 */
abstract class Operator<I> extends StreamOperator implements Emitter<I> {
  protected Operator(String name) {
    super(name);
  }

  /** Processes one record; its timestamp and position are in {@code task.record()}. */
  public abstract void process(I value) throws Exception;

  /**
   * {@link #process}: the operator is its own input's emitter, so that upstream operators call it
   * without a method reference in between. A call through one shared {@code op::process} reference
   * sees every operator class of the JVM and stays a virtual call the JIT does not inline; an
   * upstream operator's {@code out.emit} sees only the operators it feeds, and here {@code this}'s
   * exact class is known once the JIT has inlined this method for it.
   */
  @Override
  public final void emit(I value) throws Exception {
    process(value);
  }

  @Override
  public final int inputCount() {
    return 1;
  }

  /** Input 0 is {@link #process}. */
  @Override
  public final Emitter<I> input(int index) {
    if (index != 0) {
      throw noSuchInput(index);
    }
    return this;
  }
}
