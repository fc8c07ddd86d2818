package dev.weir.functions;

/**
 * The function of an interval join: called once per pair of a left and a right record with equal
 * keys whose timestamps are within the join's bounds, with both timestamps at hand. Records that
 * never find a partner are never passed here (the join is inner).
 *
 * <pre>{@code
 * orders.intervalJoin(shipments)
 *     .between(Duration.ZERO, Duration.ofHours(24))
 *     .process(new ProcessJoinFunction<Order, Shipment, String>() {
 *       public void processElement(Order o, Shipment s, Context ctx, Collector<String> out) {
 *         out.collect(o.id() + " shipped after " + (ctx.getRightTimestamp() - ctx.getLeftTimestamp()));
 *       }
 *     });
 * }</pre>
 *
 * @param <IN1> the left (first) input's record type
 * @param <IN2> the right (second) input's record type
 * @param <OUT> output type
 */
public abstract class ProcessJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected ProcessJoinFunction() {}

  /**
   * Processes one joined pair. Called on the task's thread, never concurrently for one task.
   *
   * @param left the left record, never null
   * @param right the right record, never null
   * @param ctx the pair's context, valid only during this call
   * @param out the main output, valid only during this call; records are timestamped with {@link
   *     Context#getTimestamp()}
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement(IN1 left, IN2 right, Context ctx, Collector<OUT> out)
      throws Exception;

  /** What the function knows about the current pair. Implemented by the library. */
  public interface Context {
    /**
     * Returns the left record's timestamp.
     *
     * @return milliseconds since the epoch
     */
    long getLeftTimestamp();

    /**
     * Returns the right record's timestamp.
     *
     * @return milliseconds since the epoch
     */
    long getRightTimestamp();

    /**
     * Returns the timestamp of what this call emits: the larger of the two records' timestamps.
     *
     * @return milliseconds since the epoch
     */
    long getTimestamp();

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
     * Emits a record to a side output, with the pair's timestamp ({@link #getTimestamp()}).
     *
     * @param tag the side output
     * @param value the record; must not be null
     * @param <X> the side output's type
     */
    <X> void output(OutputTag<X> tag, X value);
  }
}
