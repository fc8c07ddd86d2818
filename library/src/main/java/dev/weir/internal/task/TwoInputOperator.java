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

  @Override
  public final int inputCount() {
    return 2;
  }

  @Override
  public final Emitter<?> input(int index) {
    switch (index) {
      case 0:
        return (Emitter<I1>) this::process1;
      case 1:
        return (Emitter<I2>) this::process2;
      default:
        throw noSuchInput(index);
    }
  }
}
