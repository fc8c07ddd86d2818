package dev.weir.internal.task;

/**
 * An operator with two inputs, each with its own record type: the shape connected streams, joins
 * and broadcast inputs run on. Records of the first input arrive at {@link #process1}, those of the
 * second at {@link #process2}; both see the same record context, keyed state and timers (a keyed
 * two-input operator shares one {@link KeyedContext} across its inputs), and the task's combined
 * watermark.
 *
 * @param <I1> the first input's record type
 * @param <I2> the second input's record type
 */
abstract class TwoInputOperator<I1, I2> extends StreamOperator {
  protected TwoInputOperator(String name) {
    super(name);
  }

  /** Processes one record of the first input (input 0). */
  public abstract void process1(I1 value) throws Exception;

  /** Processes one record of the second input (input 1). */
  public abstract void process2(I2 value) throws Exception;

  /**
   * {@code this::process1}, written in the concrete operator class, not here. A method reference is
   * one class per place in the source: written once here (or as {@code op::process1} in the {@link
   * TaskBuilder}), its one call of {@code process1} would see every two-input operator class of the
   * JVM and stay a virtual call the JIT does not inline. Written in each concrete class, each call
   * site sees that class only. Every concrete two-input operator is final (or anonymous), so no
   * subclass inherits another's emitter. Called once per input when a task is built.
   */
  abstract Emitter<I1> firstInput();

  /** {@code this::process2}, written in the concrete operator class: see {@link #firstInput}. */
  abstract Emitter<I2> secondInput();

  @Override
  public final int inputCount() {
    return 2;
  }

  @Override
  public final Emitter<?> input(int index) {
    switch (index) {
      case 0:
        return firstInput();
      case 1:
        return secondInput();
      default:
        throw noSuchInput(index);
    }
  }
}
