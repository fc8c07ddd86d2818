package dev.weir.internal.graph;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.FilterFunction;
import dev.weir.functions.FlatMapFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.MapFunction;
import dev.weir.functions.ProcessFunction;
import dev.weir.functions.ReduceFunction;
import dev.weir.windowing.Evictor;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.Trigger;
import dev.weir.windowing.WindowAssigner;
import dev.weir.windowing.WindowFunction;
import java.io.PrintStream;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * What a one-input operator does, as the API call described it: the user's function objects and
 * options, nothing executable. The translator ({@code dev.weir.internal.task.Translator}) turns a
 * spec into the operator factory a task runs; keeping the two apart is what lets the API packages
 * stay free of the runtime.
 *
 * <p>Type parameters are erased here (the API methods that create specs are typed); the translator
 * restores them with unchecked casts in one place. Specs are immutable and shared by every task;
 * the functions they hold are copied per task when the operator is created.
 */
public sealed interface OperatorSpec {

  /** {@code map}: one output per record. */
  record MapSpec(MapFunction<?, ?> function) implements OperatorSpec {
    /** Checks the function is present. */
    public MapSpec {
      Objects.requireNonNull(function, "function");
    }
  }

  /** {@code filter}: keeps the records the predicate accepts; output type is the input type. */
  record FilterSpec(FilterFunction<?> function) implements OperatorSpec {
    /** Checks the function is present. */
    public FilterSpec {
      Objects.requireNonNull(function, "function");
    }
  }

  /** {@code flatMap}: any number of outputs per record. */
  record FlatMapSpec(FlatMapFunction<?, ?> function) implements OperatorSpec {
    /** Checks the function is present. */
    public FlatMapSpec {
      Objects.requireNonNull(function, "function");
    }
  }

  /** {@code process} with a {@link ProcessFunction} (keyed state only after a keyBy). */
  record ProcessSpec(ProcessFunction<?, ?> function) implements OperatorSpec {
    /** Checks the function is present. */
    public ProcessSpec {
      Objects.requireNonNull(function, "function");
    }
  }

  /** {@code process} with a {@link KeyedProcessFunction}: the key is decoded with the key serde. */
  record KeyedProcessSpec(KeyedProcessFunction<?, ?, ?> function, Serde<?> keySerde)
      implements OperatorSpec {
    /** Checks both parts are present. */
    public KeyedProcessSpec {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(keySerde, "keySerde");
    }
  }

  /**
   * {@code reinterpretAsKeyedStream}: puts each record in a keyed context without an exchange.
   * Output type is the input type.
   */
  record KeyingSpec(KeySelector<?, ?> selector, Serde<?> keySerde) implements OperatorSpec {
    /** Checks both parts are present. */
    public KeyingSpec {
      Objects.requireNonNull(selector, "selector");
      Objects.requireNonNull(keySerde, "keySerde");
    }
  }

  /** {@code print}: writes {@code toString()} to a stream; emits nothing. */
  record PrintSpec(String prefix, PrintStream stream) implements OperatorSpec {
    /** Checks the stream is present. */
    public PrintSpec {
      Objects.requireNonNull(stream, "stream");
    }
  }

  /**
   * {@code sinkTo(TwoPhaseCommitSink)}: writes into an external system by two-phase commit driven
   * by the task commit; the operator always has a store (it keeps the pre-committed handles).
   */
  record TwoPhaseSinkSpec(dev.weir.sink.TwoPhaseCommitSink<?, ?> sink) implements OperatorSpec {
    /** Checks the sink is present. */
    public TwoPhaseSinkSpec {
      Objects.requireNonNull(sink, "sink");
    }
  }

  /** A rolling aggregation on a keyed stream: emits the key's updated result for every record. */
  record RollingSpec(Aggregation aggregation, Serde<?> accumulatorSerde) implements OperatorSpec {
    /** Checks both parts are present. */
    public RollingSpec {
      Objects.requireNonNull(aggregation, "aggregation");
      Objects.requireNonNull(accumulatorSerde, "accumulatorSerde");
    }
  }

  /**
   * A keyed window operator.
   *
   * @param assigner assigns records to windows
   * @param trigger decides when windows fire and purge
   * @param evictor removes records before/after the function; null for none
   * @param allowedLateness milliseconds after a window's end that records are still accepted
   * @param lateTag the name of the side output for records too late for every window; null drops
   *     them
   * @param keySerde the keys' serde
   * @param aggregation the incremental aggregation; null keeps every record ({@code elementSerde})
   * @param accumulatorSerde the stored accumulator's serde, with {@code aggregation}
   * @param elementSerde the stored records' serde, without {@code aggregation}
   * @param function what is emitted when a window fires
   */
  record WindowSpec(
      WindowAssigner<?, ?> assigner,
      Trigger<?, ?> trigger,
      Evictor<?, ?> evictor,
      long allowedLateness,
      String lateTag,
      Serde<?> keySerde,
      Aggregation aggregation,
      Serde<?> accumulatorSerde,
      Serde<?> elementSerde,
      WindowFunctionSpec function)
      implements OperatorSpec {
    /** Checks the parts every window operator needs, and that exactly one storage form is set. */
    public WindowSpec {
      Objects.requireNonNull(assigner, "assigner");
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(keySerde, "keySerde");
      Objects.requireNonNull(function, "function");
      if ((aggregation == null) == (elementSerde == null)
          || (aggregation == null) != (accumulatorSerde == null)) {
        throw new IllegalArgumentException(
            "A window keeps either an aggregation with its accumulator serde or its records with"
                + " their serde");
      }
    }
  }

  /** How records are folded into one value, for rolling and window aggregations. */
  sealed interface Aggregation {}

  /** Combines two records with the user's {@link ReduceFunction}. */
  record Reduce(ReduceFunction<?> reducer) implements Aggregation {
    /** Checks the function is present. */
    public Reduce {
      Objects.requireNonNull(reducer, "reducer");
    }
  }

  /** The user's {@link AggregateFunction}. */
  record Aggregate(AggregateFunction<?, ?, ?> function) implements Aggregation {
    /** Checks the function is present. */
    public Aggregate {
      Objects.requireNonNull(function, "function");
    }
  }

  /** The sum of numeric records. */
  record Sum() implements Aggregation {}

  /** The smallest {@code Comparable} record. */
  record Min() implements Aggregation {}

  /** The largest {@code Comparable} record. */
  record Max() implements Aggregation {}

  /** The record with the smallest field (the first of equals). */
  record MinBy(KeySelector<?, ?> field) implements Aggregation {
    /** Checks the selector is present. */
    public MinBy {
      Objects.requireNonNull(field, "field");
    }
  }

  /** The record with the largest field (the first of equals). */
  record MaxBy(KeySelector<?, ?> field) implements Aggregation {
    /** Checks the selector is present. */
    public MaxBy {
      Objects.requireNonNull(field, "field");
    }
  }

  /** What a window emits when it fires. */
  sealed interface WindowFunctionSpec {}

  /** The aggregated result as it is. */
  record PassThrough() implements WindowFunctionSpec {}

  /** The user's {@link ProcessWindowFunction}. */
  record ProcessWindow(ProcessWindowFunction<?, ?, ?, ?> function) implements WindowFunctionSpec {
    /** Checks the function is present. */
    public ProcessWindow {
      Objects.requireNonNull(function, "function");
    }
  }

  /** The user's {@link WindowFunction}. */
  record ApplyWindow(WindowFunction<?, ?, ?, ?> function) implements WindowFunctionSpec {
    /** Checks the function is present. */
    public ApplyWindow {
      Objects.requireNonNull(function, "function");
    }
  }
}
