package dev.weir.stream;

import dev.weir.functions.Collector;
import dev.weir.functions.KeySelector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The functions behind the field-selector rolling aggregations of {@link KeyedStream}: each keeps
 * the aggregate of one field per key in a value state named after the aggregation and emits the key
 * with the aggregate, for every record.
 */
final class FieldAggregates {
  private FieldAggregates() {}

  /** The selected field; a null is an error naming the aggregation (it has nothing to add). */
  static <T, C> C selected(KeySelector<? super T, C> field, T value, String aggregation)
      throws Exception {
    C selected = field.getKey(value);
    if (selected == null) {
      throw new NullPointerException(
          "The field selector of the rolling "
              + aggregation
              + " returned null for record "
              + value
              + "; filter such records out before it, or map null to a value.");
    }
    return selected;
  }

  /**
   * The running sum of a {@code long} field.
   *
   * @param <K> the key type
   * @param <T> the record type
   */
  static final class SumLong<K, T> extends KeyedProcessFunction<K, T, KeyValue<K, Long>> {
    private static final long serialVersionUID = 1L;
    private final KeySelector<? super T, Long> field;
    private transient ValueState<Long> sum;

    SumLong(KeySelector<? super T, Long> field) {
      this.field = Objects.requireNonNull(field, "field");
    }

    @Override
    public void open() {
      sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Serdes.Long()));
    }

    @Override
    public void processElement(T value, Context ctx, Collector<KeyValue<K, Long>> out)
        throws Exception {
      Long before = sum.value();
      long now = (before == null ? 0 : before) + selected(field, value, "sumLong");
      sum.update(now);
      out.collect(KeyValue.of(ctx.getCurrentKey(), now));
    }
  }

  /**
   * The running sum of a {@code double} field.
   *
   * @param <K> the key type
   * @param <T> the record type
   */
  static final class SumDouble<K, T> extends KeyedProcessFunction<K, T, KeyValue<K, Double>> {
    private static final long serialVersionUID = 1L;
    private final KeySelector<? super T, Double> field;
    private transient ValueState<Double> sum;

    SumDouble(KeySelector<? super T, Double> field) {
      this.field = Objects.requireNonNull(field, "field");
    }

    @Override
    public void open() {
      sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Serdes.Double()));
    }

    @Override
    public void processElement(T value, Context ctx, Collector<KeyValue<K, Double>> out)
        throws Exception {
      Double before = sum.value();
      double now = (before == null ? 0 : before) + selected(field, value, "sumDouble");
      sum.update(now);
      out.collect(KeyValue.of(ctx.getCurrentKey(), now));
    }
  }
}
