package dev.weir.stream;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.Window;
import org.apache.kafka.common.serialization.Serdes;

/** The functions behind {@link KeyedStream#count()} and {@link WindowedStream#count()}. */
final class Counting {
  private Counting() {}

  /**
   * Counts records; the accumulator is the count so far.
   *
   * @param <T> the input record type
   */
  static final class CountAggregate<T> implements AggregateFunction<T, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(T value, Long accumulator) {
      return accumulator + 1;
    }

    @Override
    public Long getResult(Long accumulator) {
      return accumulator;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /**
   * Pairs a window's count with its key.
   *
   * @param <K> the key type
   * @param <W> the window type
   */
  static final class WithKey<K, W extends Window>
      extends ProcessWindowFunction<Long, KeyValue<K, Long>, K, W> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        K key, Context context, Iterable<Long> counts, Collector<KeyValue<K, Long>> out) {
      for (Long count : counts) {
        out.collect(KeyValue.of(key, count));
      }
    }
  }

  /**
   * A rolling count per key, kept in one value state named {@code count}.
   *
   * @param <K> the key type
   * @param <T> the input record type
   */
  static final class Rolling<K, T> extends KeyedProcessFunction<K, T, KeyValue<K, Long>> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open() throws Exception {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long()));
    }

    @Override
    public void processElement(T value, Context ctx, Collector<KeyValue<K, Long>> out) {
      Long before = count.value();
      long now = before == null ? 1 : before + 1;
      count.update(now);
      out.collect(KeyValue.of(ctx.getCurrentKey(), now));
    }
  }
}
