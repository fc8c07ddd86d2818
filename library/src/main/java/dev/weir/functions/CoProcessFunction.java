package dev.weir.functions;

/**
 * The low-level function for two connected streams that are not keyed: sees each record of either
 * input with its timestamp and the clocks, and can emit to the main output and to side outputs.
 * Keyed state and timers need two keyed inputs ({@link KeyedCoProcessFunction}).
 *
 * @param <I1> the first input's type
 * @param <I2> the second input's type
 * @param <O> output type
 */
public abstract class CoProcessFunction<I1, I2, O> extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected CoProcessFunction() {}

  /**
   * Processes one record of the first input. Called on the task's thread, never concurrently with
   * the other methods for one task.
   *
   * @param value the record, never null
   * @param ctx the record's context, valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement1(I1 value, ProcessFunction.Context ctx, Collector<O> out)
      throws Exception;

  /**
   * Processes one record of the second input, as {@link #processElement1}.
   *
   * @param value the record, never null
   * @param ctx the record's context, valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement2(I2 value, ProcessFunction.Context ctx, Collector<O> out)
      throws Exception;
}
