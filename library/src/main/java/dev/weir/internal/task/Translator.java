package dev.weir.internal.task;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.AsyncFunction;
import dev.weir.functions.AsyncRetryStrategy;
import dev.weir.functions.BroadcastProcessFunction;
import dev.weir.functions.CoFlatMapFunction;
import dev.weir.functions.CoMapFunction;
import dev.weir.functions.CoProcessFunction;
import dev.weir.functions.FilterFunction;
import dev.weir.functions.FlatMapFunction;
import dev.weir.functions.KeySelector;
import dev.weir.functions.KeyedBroadcastProcessFunction;
import dev.weir.functions.KeyedCoProcessFunction;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.MapFunction;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.functions.ReduceFunction;
import dev.weir.internal.graph.IntervalJoinSpec;
import dev.weir.internal.graph.OneInputTransformation;
import dev.weir.internal.graph.OperatorSpec;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.Transformation;
import dev.weir.internal.graph.TwoInputSpec;
import dev.weir.internal.graph.TwoInputTransformation;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.Window;
import dev.weir.windowing.WindowFunction;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * Translates every operator node of a plan into the factory its tasks create the operator with.
 * This is the only class that knows both sides: the API packages record graph nodes carrying specs
 * ({@code dev.weir.internal.graph}) and never see operators; the runtime and the test driver get
 * factories through {@link TaskBuilder#forPlan} once per plan, before any task exists. It lives in
 * the task package because the operator classes it instantiates need not be public for anyone else.
 *
 * <p>Specs carry erased types (the API methods that recorded them were typed), so this class
 * restores them with unchecked casts; it is the one place that does. Translation creates no user
 * function copies (factories copy per task), so it is cheap and may run once per stream thread.
 * Stateless and thread-safe.
 */
final class Translator {
  private Translator() {}

  /**
   * Translates the operator nodes of every sub-topology of {@code plan}.
   *
   * @param plan a plan made by {@link Plan#of}
   * @return for every {@link OneInputTransformation} of the plan, its factory; unmodifiable, keyed
   *     by node identity
   * @throws IllegalStateException naming the operator when its spec has no translation (a spec
   *     added to the graph without a case here)
   */
  public static Map<Transformation<?>, OperatorFactory<?, ?>> translate(Plan plan) {
    Map<Transformation<?>, OperatorFactory<?, ?>> out = new IdentityHashMap<>();
    for (SubTopology s : plan.subTopologies()) {
      for (Transformation<?> n : s.nodes()) {
        if (n instanceof OneInputTransformation<?, ?> o) {
          out.put(o, factory(o));
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Translates the two-input operator nodes of every sub-topology of {@code plan}.
   *
   * @param plan a plan made by {@link Plan#of}
   * @return for every {@link TwoInputTransformation} of the plan, its factory; unmodifiable, keyed
   *     by node identity
   * @throws IllegalStateException naming the operator when its spec has no translation
   */
  public static Map<Transformation<?>, TwoInputOperatorFactory<?, ?, ?>> translateTwoInput(
      Plan plan) {
    Map<Transformation<?>, TwoInputOperatorFactory<?, ?, ?>> out = new IdentityHashMap<>();
    for (SubTopology s : plan.subTopologies()) {
      for (Transformation<?> n : s.nodes()) {
        if (n instanceof TwoInputTransformation<?, ?, ?> t) {
          out.put(t, factory(t));
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The factory of one two-input operator node. */
  static TwoInputOperatorFactory<?, ?, ?> factory(TwoInputTransformation<?, ?, ?> node) {
    TwoInputSpec spec = node.spec();
    if (spec instanceof TwoInputSpec.CoMapSpec m) {
      return CoOperators.map(cast(m.function(), CoMapFunction.class));
    } else if (spec instanceof TwoInputSpec.CoFlatMapSpec f) {
      return CoOperators.flatMap(cast(f.function(), CoFlatMapFunction.class));
    } else if (spec instanceof TwoInputSpec.CoProcessSpec p) {
      return CoOperators.process(cast(p.function(), CoProcessFunction.class));
    } else if (spec instanceof TwoInputSpec.KeyedCoProcessSpec p) {
      return KeyedCoProcessOperator.factory(
          cast(p.function(), KeyedCoProcessFunction.class), serde(p.keySerde()));
    } else if (spec instanceof IntervalJoinSpec j) {
      return intervalJoin(j);
    } else if (spec instanceof TwoInputSpec.BroadcastProcessSpec p) {
      return BroadcastProcessOperator.factory(
          cast(p.function(), BroadcastProcessFunction.class), p.descriptors());
    } else if (spec instanceof TwoInputSpec.KeyedBroadcastProcessSpec p) {
      return KeyedBroadcastProcessOperator.factory(
          cast(p.function(), KeyedBroadcastProcessFunction.class),
          serde(p.keySerde()),
          p.descriptors());
    }
    throw new IllegalStateException(
        "Operator '" + node.name() + "' has a spec Weir cannot translate: " + spec);
  }

  /** The factory of one operator node. */
  static OperatorFactory<?, ?> factory(OneInputTransformation<?, ?> node) {
    OperatorSpec spec = node.spec();
    if (spec instanceof OperatorSpec.MapSpec m) {
      return FunctionOperators.map(cast(m.function(), MapFunction.class));
    } else if (spec instanceof OperatorSpec.FilterSpec f) {
      return FunctionOperators.filter(cast(f.function(), FilterFunction.class));
    } else if (spec instanceof OperatorSpec.FlatMapSpec f) {
      return FunctionOperators.flatMap(cast(f.function(), FlatMapFunction.class));
    } else if (spec instanceof OperatorSpec.ProcessSpec p) {
      return ProcessOperator.factory(cast(p.function(), ProcessFunction.class));
    } else if (spec instanceof OperatorSpec.KeyedProcessSpec p) {
      return KeyedProcessOperator.factory(
          cast(p.function(), KeyedProcessFunction.class), serde(p.keySerde()));
    } else if (spec instanceof OperatorSpec.KeyingSpec k) {
      return KeyingOperator.factory(cast(k.selector(), KeySelector.class), serde(k.keySerde()));
    } else if (spec instanceof OperatorSpec.PrintSpec p) {
      return SinkOperators.print(p.prefix(), p.stream());
    } else if (spec instanceof OperatorSpec.TwoPhaseSinkSpec t) {
      return TwoPhaseSinkOperator.factory(t.sink());
    } else if (spec instanceof OperatorSpec.RollingSpec r) {
      return RollingOperator.factory(aggregate(r.aggregation()), serde(r.accumulatorSerde()));
    } else if (spec instanceof OperatorSpec.WindowSpec w) {
      return window(w);
    } else if (spec instanceof OperatorSpec.AsyncSpec a) {
      return async(a, Plan.effectiveSerde(node.input()));
    }
    throw new IllegalStateException(
        "Operator '" + node.name() + "' has a spec Weir cannot translate: " + spec);
  }

  private static TwoInputOperatorFactory<?, ?, ?> intervalJoin(IntervalJoinSpec j) {
    return IntervalJoinOperator.factory(
        new IntervalJoinOperator.Spec<Object, Object, Object, Object>(
            cast(j.function(), ProcessJoinFunction.class),
            j.lower(),
            j.upper(),
            serde(j.keySerde()),
            serde(j.leftSerde()),
            serde(j.rightSerde()),
            j.leftLateTag() == null ? null : OutputTag.of(j.leftLateTag()),
            j.rightLateTag() == null ? null : OutputTag.of(j.rightLateTag())));
  }

  @SuppressWarnings("unchecked")
  private static OperatorFactory<?, ?> async(OperatorSpec.AsyncSpec a, Serde<?> inputSerde) {
    return AsyncWaitOperator.factory(
        cast(a.function(), AsyncFunction.class),
        a.ordered(),
        a.timeoutMs(),
        a.capacity(),
        (AsyncRetryStrategy<Object>) a.retry(),
        serde(inputSerde));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static OperatorFactory<?, ?> window(OperatorSpec.WindowSpec w) {
    return WindowOperator.factory(
        new WindowOperator.Spec(
            w.assigner(),
            w.trigger(),
            w.evictor(),
            w.allowedLateness(),
            w.lateTag() == null ? null : OutputTag.of(w.lateTag()),
            w.keySerde(),
            w.aggregation() == null ? null : aggregate(w.aggregation()),
            w.accumulatorSerde(),
            w.elementSerde(),
            windowFunction(w.function())));
  }

  private static WindowOperator.WindowProcess<Object, Object, Object, ?> windowFunction(
      OperatorSpec.WindowFunctionSpec f) {
    if (f instanceof OperatorSpec.ProcessWindow p) {
      ProcessWindowFunction<Object, Object, Object, Window> fn =
          cast(p.function(), ProcessWindowFunction.class);
      return WindowFunctions.of(fn);
    } else if (f instanceof OperatorSpec.ApplyWindow a) {
      WindowFunction<Object, Object, Object, Window> fn = cast(a.function(), WindowFunction.class);
      return WindowFunctions.of(fn);
    }
    return WindowFunctions.passThrough();
  }

  private static AggregateFunction<Object, Object, Object> aggregate(OperatorSpec.Aggregation a) {
    if (a instanceof OperatorSpec.Reduce r) {
      return RollingFunctions.reducing(cast(r.reducer(), ReduceFunction.class));
    } else if (a instanceof OperatorSpec.Aggregate g) {
      return cast(g.function(), AggregateFunction.class);
    } else if (a instanceof OperatorSpec.Sum) {
      return RollingFunctions.sum();
    } else if (a instanceof OperatorSpec.Min) {
      return RollingFunctions.min();
    } else if (a instanceof OperatorSpec.Max) {
      return RollingFunctions.max();
    } else if (a instanceof OperatorSpec.MinBy m) {
      KeySelector<Object, Comparable<Object>> field = cast(m.field(), KeySelector.class);
      return RollingFunctions.minBy(field);
    } else if (a instanceof OperatorSpec.MaxBy m) {
      KeySelector<Object, Comparable<Object>> field = cast(m.field(), KeySelector.class);
      return RollingFunctions.maxBy(field);
    }
    throw new IllegalStateException("Unknown aggregation " + a);
  }

  /**
   * Restores the type parameters of a function the API recorded with the types its method signature
   * guaranteed. The class argument only checks the raw type.
   */
  @SuppressWarnings("unchecked")
  private static <F> F cast(Object function, Class<?> type) {
    return (F) type.cast(function);
  }

  @SuppressWarnings("unchecked")
  private static Serde<Object> serde(Serde<?> serde) {
    return (Serde<Object>) serde;
  }
}
