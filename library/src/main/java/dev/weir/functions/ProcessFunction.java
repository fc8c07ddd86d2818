package dev.weir.functions;

/**
 * The low-level function for non-keyed streams: sees each record with its timestamp, the clocks,
 * and can emit to the main output and to side outputs.
 *
 * <pre>{@code
 * OutputTag<String> bad = OutputTag.of("bad", Serdes.String());
 * lines.process(new ProcessFunction<String, Integer>() {
 *   public void processElement(String line, Context ctx, Collector<Integer> out) {
 *     try {
 *       out.collect(Integer.parseInt(line));
 *     } catch (NumberFormatException e) {
 *       ctx.output(bad, line);
 *     }
 *   }
 * }).returns(Serdes.Integer());
 * }</pre>
 *
 * <p>Keyed state and timers need a keyed stream ({@code KeyedProcessFunction}).
 *
 * @param <I> input type
 * @param <O> output type
 */
public abstract class ProcessFunction<I, O> extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected ProcessFunction() {}

  /**
   * Processes one record. Called on the task's thread, never concurrently for one task.
   *
   * @param value the record, never null
   * @param ctx the record's context, valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement(I value, Context ctx, Collector<O> out) throws Exception;

  /** What a process function knows about the current record. Implemented by the library. */
  public interface Context {
    /**
     * Returns the current record's timestamp (its event time).
     *
     * @return milliseconds since the epoch
     */
    long timestamp();

    /**
     * Returns the task's current event-time watermark.
     *
     * @return the watermark; {@code Long.MIN_VALUE} before the first watermark
     */
    long currentWatermark();

    /**
     * Returns the processing-time clock (wall clock, or the test driver's manual clock).
     *
     * @return milliseconds since the epoch
     */
    long currentProcessingTime();

    /**
     * Emits a record to a side output, with the current record's timestamp.
     *
     * @param tag the side output
     * @param value the record; must not be null
     * @param <X> the side output's type
     */
    <X> void output(OutputTag<X> tag, X value);
  }
}
