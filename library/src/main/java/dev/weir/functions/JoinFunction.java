package dev.weir.functions;

import java.io.Serializable;

/**
 * Combines one record of each input of a window join into one output record. Called once per pair
 * of records with equal keys in the same window (the cross product of the window's two sides).
 *
 * <pre>{@code
 * orders.join(payments)
 *     .where(Order::id, Serdes.String())
 *     .equalTo(Payment::orderId)
 *     .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
 *     .apply((order, payment) -> order.id() + " paid " + payment.amount());
 * }</pre>
 *
 * <p>A function that also implements {@link RichFunction} is opened and closed with the window
 * operator it runs in.
 *
 * @param <IN1> the first input's record type
 * @param <IN2> the second input's record type
 * @param <OUT> output type
 */
@FunctionalInterface
public interface JoinFunction<IN1, IN2, OUT> extends Serializable {
  /**
   * Joins one pair. Called on the task's thread, never concurrently for one task.
   *
   * @param first the first input's record, never null
   * @param second the second input's record, never null
   * @return the joined record; must not be null
   * @throws Exception handled by the configured processing error handler
   */
  OUT join(IN1 first, IN2 second) throws Exception;
}
