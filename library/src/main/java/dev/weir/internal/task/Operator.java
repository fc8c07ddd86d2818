package dev.weir.internal.task;

/**
 * An operator with one input: the N = 1 case of {@link StreamOperator}, which every operator of a
 * one-input transformation is (map, process, windows, sinks...). Its only input is {@link
 * #process}.
 *
 * @param <I> the input record type
 */
abstract class Operator<I> extends StreamOperator {
  protected Operator(String name) {
    super(name);
  }

  /** Processes one record; its timestamp and position are in {@code task.record()}. */
  public abstract void process(I value) throws Exception;

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
    return this::process;
  }
}
