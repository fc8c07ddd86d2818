package dev.weir.state;

/**
 * Keeps one value per key, combined with the descriptor's {@link dev.weir.functions.ReduceFunction}
 * on every {@link #add}.
 *
 * @param <T> value type
 */
public interface ReducingState<T> extends AppendingState<T, T> {}
