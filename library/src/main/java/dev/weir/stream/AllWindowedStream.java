package dev.weir.stream;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ReduceFunction;
import dev.weir.windowing.AllWindowFunction;
import dev.weir.windowing.Evictor;
import dev.weir.windowing.ProcessAllWindowFunction;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.Trigger;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowFunction;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;

/**
 * A whole stream (not keyed) cut into windows. All records go through one repartition topic with a
 * single partition to one task, so throughput is that of one task: use keyed windows when you can.
 *
 * <p>A builder like {@link WindowedStream}: the configuring methods change this object and return
 * it; each window function call records an operator with the settings of that moment. Not
 * thread-safe.
 *
 * @param <T> record type
 * @param <W> window type
 */
public final class AllWindowedStream<T, W extends Window> {
  private final WindowedStream<T, Integer, W> windowed;

  AllWindowedStream(WindowedStream<T, Integer, W> windowed) {
    this.windowed = windowed;
  }

  /**
   * Replaces the default trigger.
   *
   * @param trigger the trigger
   * @return this
   */
  public AllWindowedStream<T, W> trigger(Trigger<? super T, W> trigger) {
    windowed.trigger(trigger);
    return this;
  }

  /**
   * Sets an evictor.
   *
   * @param evictor the evictor
   * @return this
   */
  public AllWindowedStream<T, W> evictor(Evictor<? super T, W> evictor) {
    windowed.evictor(evictor);
    return this;
  }

  /**
   * Sets the allowed lateness.
   *
   * @param lateness the lateness
   * @return this
   */
  public AllWindowedStream<T, W> allowedLateness(Duration lateness) {
    windowed.allowedLateness(lateness);
    return this;
  }

  /**
   * Sends records too late for every window to a side output.
   *
   * @param tag the side output
   * @return this
   */
  public AllWindowedStream<T, W> sideOutputLateData(OutputTag<T> tag) {
    windowed.sideOutputLateData(tag);
    return this;
  }

  /**
   * Reduces each window.
   *
   * @param reducer combines two records
   * @return the results
   */
  public SingleOutputStreamOperator<T> reduce(ReduceFunction<T> reducer) {
    return windowed.reduce(reducer);
  }

  /**
   * Aggregates each window.
   *
   * @param aggregator the aggregation
   * @param accumulatorSerde the accumulator's serde
   * @param <A> accumulator type
   * @param <R> result type
   * @return the results
   */
  public <A, R> SingleOutputStreamOperator<R> aggregate(
      AggregateFunction<T, A, R> aggregator, Serde<A> accumulatorSerde) {
    return windowed.aggregate(aggregator, accumulatorSerde);
  }

  /**
   * Evaluates each window's records.
   *
   * @param function the window function
   * @param <R> output type
   * @return the results
   */
  public <R> SingleOutputStreamOperator<R> apply(AllWindowFunction<T, R, W> function) {
    WindowFunction<T, R, Integer, W> f =
        (key, window, input, out) -> function.apply(window, input, out);
    return windowed.apply(f);
  }

  /**
   * Evaluates each window's records with a rich function.
   *
   * @param function the window function
   * @param <R> output type
   * @return the results
   */
  public <R> SingleOutputStreamOperator<R> process(ProcessAllWindowFunction<T, R, W> function) {
    return windowed.process(new AllAdapter<>(function));
  }

  /**
   * Runs a {@link ProcessAllWindowFunction} as the window function of the single key.
   *
   * @param <T> input type
   * @param <R> output type
   * @param <W> window type
   */
  static final class AllAdapter<T, R, W extends Window>
      extends ProcessWindowFunction<T, R, Integer, W> {
    private static final long serialVersionUID = 1L;
    private final ProcessAllWindowFunction<T, R, W> f;

    AllAdapter(ProcessAllWindowFunction<T, R, W> f) {
      this.f = f;
    }

    @Override
    public void open() throws Exception {
      f.setRuntimeContext(getRuntimeContext());
      f.open();
    }

    @Override
    public void close() throws Exception {
      f.close();
    }

    @Override
    public void process(Integer key, Context context, Iterable<T> elements, Collector<R> out)
        throws Exception {
      f.process(context.window(), elements, out);
    }
  }
}
