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
    return new TaskBuilder(plan, Translator.translate(plan), errors, taskCount);
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
    this.plan = plan;
    this.factories = factories;
    this.errors = errors;
    this.taskCount = taskCount;
  }

  public StreamTask build(TaskId id, TaskContext context) {
    SubTopology sub = plan.subTopology(id.subTopology());
    Map<Transformation<?>, List<Emitter<Object>>> main = new IdentityHashMap<>();
    // Side outputs by tag name: tags are equal when their names are.
    Map<Transformation<?>, Map<String, List<Emitter<Object>>>> side = new IdentityHashMap<>();
    List<Operator<?>> operators = new ArrayList<>();
    Map<String, StreamTask.InputHandler> inputs = new LinkedHashMap<>();

    for (PartitionTransformation<?> p : sub.writes()) {
      Operator<Object> writer = repartitionWriter(p);
      operators.add(writer);
      context.markerOutputs().add(plan.repartitionTopic(p));
      main.computeIfAbsent(p.input(), k -> new ArrayList<>()).add(writer::process);
    }
    List<Transformation<?>> nodes = new ArrayList<>(sub.nodes());
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Transformation<?> n = nodes.get(i);
      Emitter<Object> out = Emitter.fanOut(main.getOrDefault(n, List.of()));
      if (n instanceof OneInputTransformation<?, ?> o) {
        Map<String, List<Emitter<Object>>> tags = side.getOrDefault(n, Map.of());
        Map<String, Emitter<?>> sideEmitters = new HashMap<>();
        tags.forEach((tag, list) -> sideEmitters.put(tag, Emitter.fanOut(list)));
        Function<OutputTag<?>, Emitter<?>> sides =
            tag -> sideEmitters.getOrDefault(tag.name(), Emitter.discarding());
        Operator<Object> op = createOperator(o, out, sides);
        op.bindStore(plan.storeName(o));
        operators.add(op);
        attach(main, o.input(), op::process);
      } else if (n instanceof SinkTransformation<?> s) {
        if (s.sink().writesWatermarkMarkers()) {
          context.markerOutputs().add(s.sink().topicName());
        }
        @SuppressWarnings("unchecked")
        Operator<Object> op = SinkOperators.kafka(s.name(), (SinkSpec<Object>) s.sink());
        operators.add(op);
        attach(main, s.input(), op::process);
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
        inputs.put(topic, repartitionInput(p, topic, upstreamTasks, out, context));
      } else if (n instanceof SourceTransformation<?> src) {
        for (String topic : src.source().topics()) {
          inputs.put(topic, sourceInput(src, topic, out, context));
        }
      } else {
        throw new IllegalStateException("Unknown node " + n);
      }
    }
    // Operators were created sinks-first; keep that order (open() walks it in reverse).
    java.util.Collections.reverse(operators);
    return new StreamTask(id, context, inputs, operators, errors);
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
      int upstreamTasks,
      Emitter<Object> out,
      TaskContext context) {
    Deserializer<Object> d = ((Serde<Object>) Plan.effectiveSerde(p)).deserializer();
    return InputHandlers.repartition(
        p.name(), topic, 0, d, Plan.isKeyed(p), upstreamTasks, out, context);
  }

  @SuppressWarnings("unchecked")
  private static StreamTask.InputHandler sourceInput(
      SourceTransformation<?> src, String topic, Emitter<Object> out, TaskContext context) {
    return InputHandlers.source(
        src.name(),
        topic,
        0,
        (SourceSpec.Deserializer<Object>) src.source().deserializer(),
        (WatermarkStrategy<Object>) src.watermarks(),
        src.source().markerTasks(),
        out,
        context);
  }
}
