package dev.weir.stream;

import dev.weir.functions.CoGroupFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.FlatJoinFunction;
import dev.weir.functions.JoinFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.RichFunction;
import dev.weir.functions.RuntimeContext;
import dev.weir.stream.CoGroupedStreams.TaggedUnion;
import dev.weir.windowing.Evictor;
import dev.weir.windowing.Trigger;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowAssigner;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A window join of two streams: {@code a.join(b).where(keyA, keySerde).equalTo(keyB)
 * .window(assigner).apply(JoinFunction)} calls the function for every pair of a first-input and a
 * second-input record with equal keys in the same window (an inner join: a record with no partner
 * in its window yields nothing). Records in different windows never join, however close their
 * timestamps; use an interval join ({@link KeyedStream#intervalJoin}) for "within a time of each
 * other".
 *
 * <p>A window join is a {@link CoGroupedStreams coGroup} whose function emits the cross product, so
 * it runs, fires, handles lateness and keeps state exactly as a coGroup does. Not thread-safe.
 *
 * @param <T1> the first input's record type
 * @param <T2> the second input's record type
 */
public final class JoinedStreams<T1, T2> {
  private final CoGroupedStreams<T1, T2> coGroup;

  JoinedStreams(DataStream<T1> input1, DataStream<T2> input2) {
    this.coGroup = new CoGroupedStreams<>(input1, input2);
  }

  /**
   * Sets the first input's key.
   *
   * @param keySelector extracts the key of a first-input record; must be deterministic
   * @param keySerde the keys' serde (both inputs' keys are written with it)
   * @param <K> key type; the second input's key selector must return the same type
   * @return the next step: the second input's key
   */
  public <K> Where<K> where(KeySelector<? super T1, K> keySelector, Serde<K> keySerde) {
    return new Where<>(coGroup.where(keySelector, keySerde));
  }

  /**
   * The first input's key is set; {@link #equalTo} sets the second's.
   *
   * @param <K> key type
   */
  public final class Where<K> {
    private final CoGroupedStreams<T1, T2>.Where<K> where;

    Where(CoGroupedStreams<T1, T2>.Where<K> where) {
      this.where = where;
    }

    /**
     * Sets the second input's key; records meet when their serialised keys are equal.
     *
     * @param keySelector extracts the key of a second-input record; must be deterministic
     * @return the next step: the window
     */
    public EqualTo equalTo(KeySelector<? super T2, K> keySelector) {
      return new EqualTo(where.equalTo(keySelector));
    }

    /** Both keys are set; {@link #window} sets the windows. */
    public final class EqualTo {
      private final CoGroupedStreams<T1, T2>.Where<K>.EqualTo equalTo;

      EqualTo(CoGroupedStreams<T1, T2>.Where<K>.EqualTo equalTo) {
        this.equalTo = equalTo;
      }

      /**
       * Sets the windows both inputs are cut into.
       *
       * @param assigner assigns the tagged records of both inputs to windows
       * @param <W> window type
       * @return the windowed join, to configure and apply
       */
      public <W extends Window> WithWindow<T1, T2, K, W> window(
          WindowAssigner<? super TaggedUnion<T1, T2>, W> assigner) {
        return new WithWindow<>(equalTo.window(assigner));
      }
    }
  }

  /**
   * A windowed join: set the trigger, evictor and allowed lateness as for one-input windows, then
   * apply the function. The setters change this object.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   * @param <K> key type
   * @param <W> window type
   */
  public static final class WithWindow<T1, T2, K, W extends Window> {
    private final CoGroupedStreams.WithWindow<T1, T2, K, W> windowed;

    WithWindow(CoGroupedStreams.WithWindow<T1, T2, K, W> windowed) {
      this.windowed = windowed;
    }

    /**
     * Replaces the assigner's default trigger; each firing joins the window's records so far.
     *
     * @param trigger decides when windows fire and purge
     * @return this
     */
    public WithWindow<T1, T2, K, W> trigger(Trigger<? super TaggedUnion<T1, T2>, W> trigger) {
      windowed.trigger(trigger);
      return this;
    }

    /**
     * Sets an evictor, which removes tagged records of either side before or after the join.
     *
     * @param evictor the evictor
     * @return this
     */
    public WithWindow<T1, T2, K, W> evictor(Evictor<? super TaggedUnion<T1, T2>, W> evictor) {
      windowed.evictor(evictor);
      return this;
    }

    /**
     * Keeps event-time windows open for late records of either input; a late record fires its
     * window again, which joins all of the window's pairs again (the earlier pairs included, as
     * Flink does).
     *
     * @param lateness how long after the window's end records are still accepted
     * @return this
     * @throws IllegalArgumentException when negative
     */
    public WithWindow<T1, T2, K, W> allowedLateness(Duration lateness) {
      windowed.allowedLateness(lateness);
      return this;
    }

    /**
     * Calls {@code function} for every pair of records with equal keys in one window.
     *
     * @param function the join function; copied per task
     * @param <R> output type
     * @return the joined records, timestamped with the window's max timestamp; give the operator a
     *     {@code uid(...)}: it names the window's store
     * @throws IllegalStateException when an input's serde is unknown
     */
    public <R> SingleOutputStreamOperator<R> apply(JoinFunction<T1, T2, R> function) {
      Objects.requireNonNull(function, "function");
      return windowed.build(
          "join",
          new CoGroupedStreams.CoGroupWindowFunction<T1, T2, R, K, W>(new Join<>(function)));
    }

    /**
     * Calls {@code function} for every pair of records with equal keys in one window; it may emit
     * any number of records per pair.
     *
     * @param function the join function; copied per task
     * @param <R> output type
     * @return the joined records, timestamped with the window's max timestamp
     * @throws IllegalStateException when an input's serde is unknown
     */
    public <R> SingleOutputStreamOperator<R> apply(FlatJoinFunction<T1, T2, R> function) {
      Objects.requireNonNull(function, "function");
      return windowed.build(
          "join",
          new CoGroupedStreams.CoGroupWindowFunction<T1, T2, R, K, W>(new FlatJoin<>(function)));
    }
  }

  /** Opens and closes a rich join function with the window operator. */
  abstract static class RichForwarding implements RichFunction, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private transient RuntimeContext context;

    abstract Object function();

    @Override
    public void setRuntimeContext(RuntimeContext context) {
      this.context = context;
      if (function() instanceof RichFunction rich) {
        rich.setRuntimeContext(context);
      }
    }

    @Override
    public RuntimeContext getRuntimeContext() {
      return context;
    }

    @Override
    public void open() throws Exception {
      if (function() instanceof RichFunction rich) {
        rich.open();
      }
    }

    @Override
    public void close() throws Exception {
      if (function() instanceof RichFunction rich) {
        rich.close();
      }
    }
  }

  /**
   * The cross product of a window's two sides through a {@link JoinFunction}.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   * @param <R> the output type
   */
  static final class Join<T1, T2, R> extends RichForwarding implements CoGroupFunction<T1, T2, R> {
    private static final long serialVersionUID = 1L;
    private final JoinFunction<T1, T2, R> function;

    Join(JoinFunction<T1, T2, R> function) {
      this.function = function;
    }

    @Override
    Object function() {
      return function;
    }

    @Override
    public void coGroup(Iterable<T1> first, Iterable<T2> second, Collector<R> out)
        throws Exception {
      for (T1 a : first) {
        for (T2 b : second) {
          out.collect(function.join(a, b));
        }
      }
    }
  }

  /**
   * The cross product of a window's two sides through a {@link FlatJoinFunction}.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   * @param <R> the output type
   */
  static final class FlatJoin<T1, T2, R> extends RichForwarding
      implements CoGroupFunction<T1, T2, R> {
    private static final long serialVersionUID = 1L;
    private final FlatJoinFunction<T1, T2, R> function;

    FlatJoin(FlatJoinFunction<T1, T2, R> function) {
      this.function = function;
    }

    @Override
    Object function() {
      return function;
    }

    @Override
    public void coGroup(Iterable<T1> first, Iterable<T2> second, Collector<R> out)
        throws Exception {
      for (T1 a : first) {
        for (T2 b : second) {
          function.join(a, b, out);
        }
      }
    }
  }
}
