package dev.weir.stream;

import dev.weir.functions.CoGroupFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.KeySelector;
import dev.weir.functions.MapFunction;
import dev.weir.functions.RichFunction;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.Transformation;
import dev.weir.internal.graph.UnionTransformation;
import dev.weir.windowing.Evictor;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.Trigger;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowAssigner;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Two streams grouped by key and window: {@code a.coGroup(b).where(keyA, keySerde).equalTo(keyB)
 * .window(assigner).apply(CoGroupFunction)} calls the function once per key and window with both
 * inputs' records of that window, either side possibly empty.
 *
 * <p>How it runs (as Flink builds it): each input's records are tagged with their side ({@link
 * TaggedUnion}), keyed by their side's key selector (one repartition topic per input, so the inputs
 * need not be co-partitioned), merged, and cut into windows by one keyed window operator whose
 * store holds both sides' records. Windows fire, merge (session windows), accept late records
 * within the allowed lateness and are cleaned up exactly as one-input windows do, and the results
 * are timestamped with the window's max timestamp. The two input topics of the window operator get
 * the task count of their upstream sub-topology, so both inputs' source topics need equal partition
 * counts (checked at start, as for every keyed input).
 *
 * <p>Both inputs need a known serde (their source's, or {@code returns(...)}): their records cross
 * a repartition topic and are stored in the window. A builder, like {@link WindowedStream}; not
 * thread-safe.
 *
 * @param <T1> the first input's record type
 * @param <T2> the second input's record type
 */
public final class CoGroupedStreams<T1, T2> {
  private final DataStream<T1> input1;
  private final DataStream<T2> input2;

  CoGroupedStreams(DataStream<T1> input1, DataStream<T2> input2) {
    if (input1.builder != input2.builder) {
      throw new IllegalArgumentException(
          "coGroup/join: '"
              + input1.transformation.name()
              + "' and '"
              + input2.transformation.name()
              + "' come from different StreamBuilders; build both inputs with one");
    }
    this.input1 = input1;
    this.input2 = input2;
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
    return new Where<>(
        Objects.requireNonNull(keySelector, "keySelector"),
        Objects.requireNonNull(keySerde, "keySerde"));
  }

  /**
   * The first input's key is set; {@link #equalTo} sets the second's.
   *
   * @param <K> key type
   */
  public final class Where<K> {
    private final KeySelector<? super T1, K> key1;
    private final Serde<K> keySerde;

    Where(KeySelector<? super T1, K> key1, Serde<K> keySerde) {
      this.key1 = key1;
      this.keySerde = keySerde;
    }

    /**
     * Sets the second input's key. Records of the two inputs meet when their keys are equal as
     * serialised by the key serde given to {@link CoGroupedStreams#where}.
     *
     * @param keySelector extracts the key of a second-input record; must be deterministic
     * @return the next step: the window
     */
    public EqualTo equalTo(KeySelector<? super T2, K> keySelector) {
      return new EqualTo(Objects.requireNonNull(keySelector, "keySelector"));
    }

    /** Both keys are set; {@link #window} sets the windows. */
    public final class EqualTo {
      private final KeySelector<? super T2, K> key2;

      EqualTo(KeySelector<? super T2, K> key2) {
        this.key2 = key2;
      }

      /**
       * Sets the windows both inputs are cut into.
       *
       * @param assigner assigns the tagged records of both inputs to windows (tumbling, sliding,
       *     session, global)
       * @param <W> window type
       * @return the windowed coGroup, to configure and apply
       */
      public <W extends Window> WithWindow<T1, T2, K, W> window(
          WindowAssigner<? super TaggedUnion<T1, T2>, W> assigner) {
        return new WithWindow<>(
            input1, input2, key1, key2, keySerde, Objects.requireNonNull(assigner, "assigner"));
      }
    }
  }

  /**
   * A windowed coGroup: set the trigger, evictor and allowed lateness as for one-input windows,
   * then apply the function. Like {@link WindowedStream}, the setters change this object; each
   * {@code apply} records an operator with the settings of that moment.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   * @param <K> key type
   * @param <W> window type
   */
  public static final class WithWindow<T1, T2, K, W extends Window> {
    private final DataStream<T1> input1;
    private final DataStream<T2> input2;
    private final KeySelector<? super T1, K> key1;
    private final KeySelector<? super T2, K> key2;
    private final Serde<K> keySerde;
    private final WindowAssigner<? super TaggedUnion<T1, T2>, W> assigner;
    private Trigger<? super TaggedUnion<T1, T2>, W> trigger;
    private Evictor<? super TaggedUnion<T1, T2>, W> evictor;
    private Duration allowedLateness = Duration.ZERO;

    WithWindow(
        DataStream<T1> input1,
        DataStream<T2> input2,
        KeySelector<? super T1, K> key1,
        KeySelector<? super T2, K> key2,
        Serde<K> keySerde,
        WindowAssigner<? super TaggedUnion<T1, T2>, W> assigner) {
      this.input1 = input1;
      this.input2 = input2;
      this.key1 = key1;
      this.key2 = key2;
      this.keySerde = keySerde;
      this.assigner = assigner;
    }

    /**
     * Replaces the assigner's default trigger (see {@link WindowedStream#trigger}).
     *
     * @param trigger decides when windows fire and purge
     * @return this
     * @throws IllegalStateException when the assigner merges windows and the trigger cannot
     */
    public WithWindow<T1, T2, K, W> trigger(Trigger<? super TaggedUnion<T1, T2>, W> trigger) {
      this.trigger = Objects.requireNonNull(trigger, "trigger");
      return this;
    }

    /**
     * Sets an evictor, which removes tagged records of either side before or after the function.
     *
     * @param evictor the evictor
     * @return this
     */
    public WithWindow<T1, T2, K, W> evictor(Evictor<? super TaggedUnion<T1, T2>, W> evictor) {
      this.evictor = Objects.requireNonNull(evictor, "evictor");
      return this;
    }

    /**
     * Keeps event-time windows open for late records of either input (see {@link
     * WindowedStream#allowedLateness}); a late record fires its window again with both sides'
     * records. Default zero; records too late for every window are dropped and counted in the
     * {@code late-records-dropped} metric.
     *
     * @param lateness how long after the window's end records are still accepted
     * @return this
     * @throws IllegalArgumentException when negative
     */
    public WithWindow<T1, T2, K, W> allowedLateness(Duration lateness) {
      if (Objects.requireNonNull(lateness, "lateness").isNegative()) {
        throw new IllegalArgumentException("allowedLateness must not be negative: " + lateness);
      }
      this.allowedLateness = lateness;
      return this;
    }

    /**
     * Calls {@code function} once per key and window that holds a record of either input.
     *
     * @param function the coGroup function; copied per task
     * @param <R> output type
     * @return the results, timestamped with the window's max timestamp; give the operator a {@code
     *     uid(...)}: it names the window's store
     * @throws IllegalStateException when an input's serde is unknown
     */
    public <R> SingleOutputStreamOperator<R> apply(CoGroupFunction<T1, T2, R> function) {
      Objects.requireNonNull(function, "function");
      return build("coGroup", new CoGroupWindowFunction<>(function));
    }

    /** Tags, keys and merges both inputs, and applies {@code function} to their windows. */
    <R> SingleOutputStreamOperator<R> build(
        String kind, ProcessWindowFunction<TaggedUnion<T1, T2>, R, K, W> function) {
      Serde<TaggedUnion<T1, T2>> serde =
          new TaggedUnionSerde<>(serdeOf(input1, kind, "first"), serdeOf(input2, kind, "second"));
      KeyedStream<TaggedUnion<T1, T2>, K> keyed1 =
          input1.map(new Tag1<T1, T2>()).returns(serde).keyBy(new UnionKey<>(key1, null), keySerde);
      KeyedStream<TaggedUnion<T1, T2>, K> keyed2 =
          input2.map(new Tag2<T1, T2>()).returns(serde).keyBy(new UnionKey<>(null, key2), keySerde);
      StreamBuilder b = input1.builder;
      List<Transformation<TaggedUnion<T1, T2>>> both =
          List.of(keyed1.transformation, keyed2.transformation);
      KeyedStream<TaggedUnion<T1, T2>, K> merged =
          new KeyedStream<>(b, b.add(new UnionTransformation<>(b.nextId(), both)), keySerde);
      WindowedStream<TaggedUnion<T1, T2>, K, W> windowed = merged.window(assigner);
      if (trigger != null) {
        windowed.trigger(trigger);
      }
      if (evictor != null) {
        windowed.evictor(evictor);
      }
      windowed.allowedLateness(allowedLateness);
      return windowed.process(function);
    }

    private static <T> Serde<T> serdeOf(DataStream<T> input, String kind, String which) {
      Serde<T> s = Plan.effectiveSerde(input.transformation);
      if (s == null) {
        throw new IllegalStateException(
            "Window "
                + kind
                + " sends the records of its "
                + which
                + " input '"
                + input.transformation.name()
                + "' through a repartition topic and keeps them in window state, but Weir does"
                + " not know their serde: call .returns(serde) on '"
                + input.transformation.name()
                + "'");
      }
      return s;
    }
  }

  /**
   * A record of either input of a coGroup or window join, tagged with its side: what the window
   * operator of a coGroup keeps, and what its assigner, trigger and evictor see.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   */
  public static final class TaggedUnion<T1, T2> {
    private final T1 one;
    private final T2 two;

    private TaggedUnion(T1 one, T2 two) {
      this.one = one;
      this.two = two;
    }

    /**
     * Tags a first-input record.
     *
     * @param value the record, not null
     * @param <T1> first input type
     * @param <T2> second input type
     * @return the tagged record
     */
    public static <T1, T2> TaggedUnion<T1, T2> one(T1 value) {
      return new TaggedUnion<>(Objects.requireNonNull(value, "value"), null);
    }

    /**
     * Tags a second-input record.
     *
     * @param value the record, not null
     * @param <T1> first input type
     * @param <T2> second input type
     * @return the tagged record
     */
    public static <T1, T2> TaggedUnion<T1, T2> two(T2 value) {
      return new TaggedUnion<>(null, Objects.requireNonNull(value, "value"));
    }

    /**
     * Whether the record came from the first input.
     *
     * @return true for the first input, false for the second
     */
    public boolean isOne() {
      return one != null;
    }

    /**
     * Returns the first input's record.
     *
     * @return the record, or null when it came from the second input
     */
    public T1 getOne() {
      return one;
    }

    /**
     * Returns the second input's record.
     *
     * @return the record, or null when it came from the first input
     */
    public T2 getTwo() {
      return two;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TaggedUnion<?, ?> t
          && Objects.equals(one, t.one)
          && Objects.equals(two, t.two);
    }

    @Override
    public int hashCode() {
      return Objects.hash(one, two);
    }

    @Override
    public String toString() {
      return isOne() ? "one(" + one + ")" : "two(" + two + ")";
    }
  }

  /**
   * Tags first-input records.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   */
  static final class Tag1<T1, T2> implements MapFunction<T1, TaggedUnion<T1, T2>> {
    private static final long serialVersionUID = 1L;

    @Override
    public TaggedUnion<T1, T2> map(T1 value) {
      return TaggedUnion.one(value);
    }
  }

  /**
   * Tags second-input records.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   */
  static final class Tag2<T1, T2> implements MapFunction<T2, TaggedUnion<T1, T2>> {
    private static final long serialVersionUID = 1L;

    @Override
    public TaggedUnion<T1, T2> map(T2 value) {
      return TaggedUnion.two(value);
    }
  }

  /**
   * Applies the key selector of the record's side (one of the two is set per input).
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   * @param <K> the key type
   */
  static final class UnionKey<T1, T2, K> implements KeySelector<TaggedUnion<T1, T2>, K> {
    private static final long serialVersionUID = 1L;
    private final KeySelector<? super T1, K> key1;
    private final KeySelector<? super T2, K> key2;

    UnionKey(KeySelector<? super T1, K> key1, KeySelector<? super T2, K> key2) {
      this.key1 = key1;
      this.key2 = key2;
    }

    @Override
    public K getKey(TaggedUnion<T1, T2> value) throws Exception {
      return value.isOne() ? key1.getKey(value.getOne()) : key2.getKey(value.getTwo());
    }
  }

  /**
   * {@code [0][first input's bytes]} or {@code [1][second input's bytes]}; stored in window state,
   * so the layout is persisted.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   */
  static final class TaggedUnionSerde<T1, T2>
      implements Serde<TaggedUnion<T1, T2>>,
          Serializer<TaggedUnion<T1, T2>>,
          Deserializer<TaggedUnion<T1, T2>> {
    private final Serializer<T1> ser1;
    private final Serializer<T2> ser2;
    private final Deserializer<T1> de1;
    private final Deserializer<T2> de2;

    TaggedUnionSerde(Serde<T1> one, Serde<T2> two) {
      this.ser1 = one.serializer();
      this.ser2 = two.serializer();
      this.de1 = one.deserializer();
      this.de2 = two.deserializer();
    }

    @Override
    public byte[] serialize(String topic, TaggedUnion<T1, T2> data) {
      if (data == null) {
        return null;
      }
      byte[] inner =
          data.isOne()
              ? ser1.serialize(topic, data.getOne())
              : ser2.serialize(topic, data.getTwo());
      return ByteBuffer.allocate(1 + inner.length)
          .put((byte) (data.isOne() ? 0 : 1))
          .put(inner)
          .array();
    }

    @Override
    public TaggedUnion<T1, T2> deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      if (data.length == 0 || data[0] > 1 || data[0] < 0) {
        throw new IllegalArgumentException(
            "Not a coGroup record of topic " + topic + ": tag byte missing or unknown");
      }
      byte[] inner = new byte[data.length - 1];
      System.arraycopy(data, 1, inner, 0, inner.length);
      return data[0] == 0
          ? TaggedUnion.one(de1.deserialize(topic, inner))
          : TaggedUnion.two(de2.deserialize(topic, inner));
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
      // The inner serdes are the inputs' own, configured where those inputs are used.
    }

    @Override
    public void close() {}

    @Override
    public Serializer<TaggedUnion<T1, T2>> serializer() {
      return this;
    }

    @Override
    public Deserializer<TaggedUnion<T1, T2>> deserializer() {
      return this;
    }
  }

  /**
   * Splits a window's tagged records by side and calls the coGroup function; opens and closes it
   * when it is rich.
   *
   * @param <T1> the first input's record type
   * @param <T2> the second input's record type
   * @param <R> the output type
   * @param <K> the key type
   * @param <W> the window type
   */
  static final class CoGroupWindowFunction<T1, T2, R, K, W extends Window>
      extends ProcessWindowFunction<TaggedUnion<T1, T2>, R, K, W> {
    private static final long serialVersionUID = 1L;
    private final CoGroupFunction<T1, T2, R> function;

    CoGroupWindowFunction(CoGroupFunction<T1, T2, R> function) {
      this.function = function;
    }

    @Override
    public void open() throws Exception {
      if (function instanceof RichFunction rich) {
        rich.setRuntimeContext(getRuntimeContext());
        rich.open();
      }
    }

    @Override
    public void close() throws Exception {
      if (function instanceof RichFunction rich) {
        rich.close();
      }
    }

    @Override
    public void process(
        K key, Context context, Iterable<TaggedUnion<T1, T2>> elements, Collector<R> out)
        throws Exception {
      List<T1> first = new ArrayList<>();
      List<T2> second = new ArrayList<>();
      for (TaggedUnion<T1, T2> e : elements) {
        if (e.isOne()) {
          first.add(e.getOne());
        } else {
          second.add(e.getTwo());
        }
      }
      function.coGroup(first, second, out);
    }
  }
}
