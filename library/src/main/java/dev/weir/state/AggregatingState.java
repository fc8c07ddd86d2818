package dev.weir.state;

/**
 * Keeps one accumulator per key, updated with the descriptor's {@link
 * dev.weir.functions.AggregateFunction} on every {@link #add}; {@link #get} returns the
 * accumulator's result.
 *
 * @param <IN> the type of added values
 * @param <OUT> the result type
 */
public interface AggregatingState<IN, OUT> extends AppendingState<IN, OUT> {}
