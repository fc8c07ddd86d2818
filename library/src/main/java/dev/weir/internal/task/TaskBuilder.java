package dev.weir.internal.task;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.OutputTag;
import dev.weir.internal.graph.OneInputTransformation;
import dev.weir.internal.graph.PartitionTransformation;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SideOutputTransformation;
import dev.weir.internal.graph.SinkSpec;
import dev.weir.internal.graph.SinkTransformation;
import dev.weir.internal.graph.SourceSpec;
import dev.weir.internal.graph.SourceTransformation;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.Transformation;
import dev.weir.internal.graph.TwoInputTransformation;
import dev.weir.internal.graph.UnionTransformation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * Instantiates one task of a sub-topology: fresh operators (user functions copied), wired
 * consumers-first so each operator is created with its downstream emitter in hand.
 */
public final class TaskBuilder {
  private final Plan plan;
  private final Map<Transformation<?>, OperatorFactory<?, ?>> factories;
  private final Map<Transformation<?>, TwoInputOperatorFactory<?, ?, ?>> twoInputFactories;
  private final ErrorHandling errors;
  private final IntUnaryOperator taskCount;

  /**
   * Returns a builder for the tasks of {@code plan}, its operator nodes translated once here.
   *
   * @param taskCount the task count of a sub-topology (how many upstream tasks send watermark
   *     markers into a repartition topic)
   * @throws IllegalStateException naming an operator whose spec has no translation
   */
  public static TaskBuilder forPlan(Plan plan, ErrorHandling errors, IntUnaryOperator taskCount) {
    return new TaskBuilder(
        plan, Translator.translate(plan), Translator.translateTwoInput(plan), errors, taskCount);
  }

  /**
   * @param factories the factory of every operator node of {@code plan} ({@code
   *     Translator.translate(plan)})
   * @param taskCount the task count of a sub-topology (how many upstream tasks send watermark
   *     markers into a repartition topic)
   */
  TaskBuilder(
      Plan plan,
      Map<Transformation<?>, OperatorFactory<?, ?>> factories,
      ErrorHandling errors,
      IntUnaryOperator taskCount) {
    this(plan, factories, Translator.translateTwoInput(plan), errors, taskCount);
  }

  private TaskBuilder(
      Plan plan,
      Map<Transformation<?>, OperatorFactory<?, ?>> factories,
      Map<Transformation<?>, TwoInputOperatorFactory<?, ?, ?>> twoInputFactories,
      ErrorHandling errors,
      IntUnaryOperator taskCount) {
    this.plan = plan;
    this.factories = factories;
    this.twoInputFactories = twoInputFactories;
    this.errors = errors;
    this.taskCount = taskCount;
  }

  public StreamTask build(TaskId id, TaskContext context) {
    SubTopology sub = plan.subTopology(id.subTopology());
    Map<Transformation<?>, List<Emitter<Object>>> main = new IdentityHashMap<>();
    // Side outputs by tag name: tags are equal when their names are.
    Map<Transformation<?>, Map<String, List<Emitter<Object>>>> side = new IdentityHashMap<>();
    List<StreamOperator> operators = new ArrayList<>();
    Map<String, StreamTask.InputHandler> inputs = new LinkedHashMap<>();

    for (PartitionTransformation<?> p : sub.writes()) {
      Operator<Object> writer = repartitionWriter(p);
      operators.add(writer);
      context.markerOutputs().add(plan.repartitionTopic(p));
      main.computeIfAbsent(p.input(), k -> new ArrayList<>()).add(writer);
    }
    List<Transformation<?>> nodes = new ArrayList<>(sub.nodes());
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Transformation<?> n = nodes.get(i);
      Emitter<Object> out = Emitter.fanOut(main.getOrDefault(n, List.of()));
      if (n instanceof OneInputTransformation<?, ?> o) {
        Operator<Object> op = createOperator(o, out, sideOutputs(side, n));
        op.bindStore(plan.storeName(o));
        operators.add(op);
        attach(main, o.input(), op);
      } else if (n instanceof TwoInputTransformation<?, ?, ?> t) {
        TwoInputOperator<Object, Object> op = createOperator(t, out, sideOutputs(side, n));
        op.bindStore(plan.storeName(t));
        operators.add(op);
        attach(main, t.input1(), op.firstInput());
        attach(main, t.input2(), op.secondInput());
      } else if (n instanceof SinkTransformation<?> s) {
        if (s.sink().writesWatermarkMarkers()) {
          context.markerOutputs().add(s.sink().topicName());
        }
        @SuppressWarnings("unchecked")
        Operator<Object> op = SinkOperators.kafka(s.name(), (SinkSpec<Object>) s.sink());
        operators.add(op);
        attach(main, s.input(), op);
      } else if (n instanceof SideOutputTransformation<?> so) {
        side.computeIfAbsent(so.parent(), k -> new HashMap<>())
            .computeIfAbsent(so.tag(), k -> new ArrayList<>())
            .add(out);
      } else if (n instanceof UnionTransformation<?> u) {
        for (Transformation<?> in : u.inputs()) {
          attach(main, in, out);
        }
      } else if (n instanceof PartitionTransformation<?> p) {
        String topic = plan.repartitionTopic(p);
        int upstreamTasks = taskCount.applyAsInt(plan.upstreamOf(p));
        inputs.put(
            topic, repartitionInput(p, topic, inputIndex(sub, p), upstreamTasks, out, context));
      } else if (n instanceof SourceTransformation<?> src && sub.broadcastSources().contains(src)) {
        String store = plan.storeName(broadcastOperator(sub, src));
        for (String topic : src.source().topics()) {
          inputs.put(topic, broadcastInput(src, topic, out, context, store));
        }
      } else if (n instanceof SourceTransformation<?> src) {
        for (String topic : src.source().topics()) {
          inputs.put(topic, sourceInput(src, topic, inputIndex(sub, src), out, context));
        }
      } else {
        throw new IllegalStateException("Unknown node " + n);
      }
    }
    // Operators were created sinks-first; keep that order (open() walks it in reverse).
    java.util.Collections.reverse(operators);
    return new StreamTask(id, context, inputs, operators, errors);
  }

  /**
   * The emitter of each side output tag of {@code n} (tags are equal when their names are), a
   * discarding one for tags nobody reads.
   */
  private static Function<OutputTag<?>, Emitter<?>> sideOutputs(
      Map<Transformation<?>, Map<String, List<Emitter<Object>>>> side, Transformation<?> n) {
    Map<String, List<Emitter<Object>>> tags = side.getOrDefault(n, Map.of());
    Map<String, Emitter<?>> sideEmitters = new HashMap<>();
    tags.forEach((tag, list) -> sideEmitters.put(tag, Emitter.fanOut(list)));
    return tag -> sideEmitters.getOrDefault(tag.name(), Emitter.discarding());
  }

  /**
   * The task input a topic read by {@code entry} (a source or a repartition read) belongs to, for
   * its event-time channel: 1 when it feeds only the second input of a two-input operator of the
   * sub-topology, else 0 (every one-input task, and the first input).
   */
  static int inputIndex(SubTopology sub, Transformation<?> entry) {
    for (Transformation<?> n : sub.nodes()) {
      if (n instanceof TwoInputTransformation<?, ?, ?> t
          && feeds(entry, t.input2())
          && !feeds(entry, t.input1())) {
        return 1;
      }
    }
    return 0;
  }

  /** The operator whose broadcast input {@code src} is (the plan checked there is one). */
  private static TwoInputTransformation<?, ?, ?> broadcastOperator(
      SubTopology sub, SourceTransformation<?> src) {
    for (Transformation<?> n : sub.nodes()) {
      if (n instanceof TwoInputTransformation<?, ?, ?> t
          && t.spec().broadcastsSecondInput()
          && feeds(src, t.input2())) {
        return t;
      }
    }
    throw new IllegalStateException("Broadcast source '" + src.name() + "' feeds no operator");
  }

  @SuppressWarnings("unchecked")
  private static StreamTask.InputHandler broadcastInput(
      SourceTransformation<?> src,
      String topic,
      Emitter<Object> out,
      TaskContext context,
      String store) {
    return new BroadcastInput<>(
        src.name(),
        topic,
        (SourceSpec.Deserializer<Object>) src.source().deserializer(),
        out,
        context,
        store);
  }

  /** Whether records read by {@code entry} reach {@code node} within the sub-topology. */
  private static boolean feeds(Transformation<?> entry, Transformation<?> node) {
    if (node == entry) {
      return true;
    }
    if (node instanceof SourceTransformation<?> || node instanceof PartitionTransformation<?>) {
      return false;
    }
    for (Transformation<?> in : node.inputs()) {
      if (feeds(entry, in)) {
        return true;
      }
    }
    return false;
  }

  private static void attach(
      Map<Transformation<?>, List<Emitter<Object>>> main,
      Transformation<?> input,
      Emitter<Object> e) {
    main.computeIfAbsent(input, k -> new ArrayList<>()).add(e);
  }

  @SuppressWarnings("unchecked")
  private Operator<Object> createOperator(
      OneInputTransformation<?, ?> o,
      Emitter<Object> out,
      Function<OutputTag<?>, Emitter<?>> sides) {
    OperatorFactory<Object, Object> f = (OperatorFactory<Object, Object>) factories.get(o);
    if (f == null) {
      throw new IllegalStateException("Operator '" + o.name() + "' was not translated");
    }
    return f.create(o.name(), out, sides);
  }

  @SuppressWarnings("unchecked")
  private TwoInputOperator<Object, Object> createOperator(
      TwoInputTransformation<?, ?, ?> t,
      Emitter<Object> out,
      Function<OutputTag<?>, Emitter<?>> sides) {
    TwoInputOperatorFactory<Object, Object, Object> f =
        (TwoInputOperatorFactory<Object, Object, Object>) twoInputFactories.get(t);
    if (f == null) {
      throw new IllegalStateException("Operator '" + t.name() + "' was not translated");
    }
    return f.create(t.name(), out, sides);
  }

  @SuppressWarnings("unchecked")
  private Operator<Object> repartitionWriter(PartitionTransformation<?> p) {
    Serde<Object> serde = (Serde<Object>) Plan.effectiveSerde(p);
    return SinkOperators.repartition(
        p.name(),
        plan.repartitionTopic(p),
        p.mode(),
        (dev.weir.functions.KeySelector<Object, ?>) p.keySelector(),
        p.keySerde() == null ? null : p.keySerde().serializer(),
        p.partitioner(),
        serde.serializer());
  }

  @SuppressWarnings("unchecked")
  private static StreamTask.InputHandler repartitionInput(
      PartitionTransformation<?> p,
      String topic,
      int input,
      int upstreamTasks,
      Emitter<Object> out,
      TaskContext context) {
    Deserializer<Object> d = ((Serde<Object>) Plan.effectiveSerde(p)).deserializer();
    return InputHandlers.repartition(
        p.name(), topic, input, d, Plan.isKeyed(p), upstreamTasks, out, context);
  }

  @SuppressWarnings("unchecked")
  private static StreamTask.InputHandler sourceInput(
      SourceTransformation<?> src,
      String topic,
      int input,
      Emitter<Object> out,
      TaskContext context) {
    return InputHandlers.source(
        src.name(),
        topic,
        input,
        (SourceSpec.Deserializer<Object>) src.source().deserializer(),
        (WatermarkStrategy<Object>) src.watermarks(),
        src.source().markerTasks(),
        out,
        context);
  }
}
