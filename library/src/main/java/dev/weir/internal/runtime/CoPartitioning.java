package dev.weir.internal.runtime;

import dev.weir.internal.graph.PartitionTransformation;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SourceTransformation;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.Transformation;
import dev.weir.internal.graph.TwoInputTransformation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The start-time error for a two-input operator whose inputs' topics have different partition
 * counts: task {@code p} reads partition {@code p} of both, so keys (or records) of one input would
 * meet the wrong part of the other. Names the operator, both inputs, their topics and counts, and
 * the fix.
 */
final class CoPartitioning {
  private CoPartitioning() {}

  /**
   * Describes the mismatch, or returns null when {@code s} has no two-input operator whose inputs
   * differ.
   *
   * @param inputs the partition count of every topic {@code s} reads
   */
  static String describe(Plan plan, SubTopology s, Map<String, Integer> inputs) {
    for (Transformation<?> n : s.nodes()) {
      if (!(n instanceof TwoInputTransformation<?, ?, ?> t)) {
        continue;
      }
      Map<String, Integer> first = counts(plan, t.input1(), inputs);
      Map<String, Integer> second = counts(plan, t.input2(), inputs);
      List<Integer> all = new ArrayList<>(first.values());
      all.addAll(second.values());
      if (all.stream().distinct().count() <= 1) {
        continue;
      }
      boolean keyed = Plan.keyOrigin(t.input1()) != null && Plan.keyOrigin(t.input2()) != null;
      String fix =
          keyed
              ? "Give both keyBy(...) the same Repartition.withPartitions(n), or give the source"
                  + " topics equal partition counts."
              : "Give the input topics equal partition counts, or rebalance() or keyBy(...) one"
                  + " input.";
      return "Operator '"
          + t.name()
          + "' connects '"
          + t.input1().name()
          + "' reading "
          + first
          + " and '"
          + t.input2().name()
          + "' reading "
          + second
          + " (topic=partitions): its inputs must be co-partitioned, because task p reads"
          + " partition p of both. "
          + fix;
    }
    return null;
  }

  /** The input topics (with their partition counts) whose records reach {@code node}. */
  private static Map<String, Integer> counts(
      Plan plan, Transformation<?> node, Map<String, Integer> inputs) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    collect(plan, node, inputs, out);
    return out;
  }

  private static void collect(
      Plan plan, Transformation<?> node, Map<String, Integer> inputs, Map<String, Integer> out) {
    if (node instanceof SourceTransformation<?> src) {
      src.source().topics().forEach(t -> out.put(t, inputs.get(t)));
    } else if (node instanceof PartitionTransformation<?> p) {
      String topic = plan.repartitionTopic(p);
      out.put(topic, inputs.get(topic));
    } else {
      node.inputs().forEach(in -> collect(plan, in, inputs, out));
    }
  }
}
