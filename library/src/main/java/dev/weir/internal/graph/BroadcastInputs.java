package dev.weir.internal.graph;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the sources read as broadcast inputs and checks how they are used: a broadcast input is
 * read by every task of its operator from every partition of its source topics, so the stream
 * between the source and the operator must stay within the task (no keyBy or rebalance), and its
 * source and chain must feed that operator only.
 */
final class BroadcastInputs {
  private BroadcastInputs() {}

  /**
   * The broadcast sources of {@code nodes}, each with the operator whose broadcast input it is.
   *
   * @throws IllegalStateException naming the operator and the fix when a broadcast input is not
   *     read straight from a source, or its chain also feeds something else
   */
  static Map<SourceTransformation<?>, TwoInputTransformation<?, ?, ?>> find(
      List<Transformation<?>> nodes) {
    Map<SourceTransformation<?>, TwoInputTransformation<?, ?, ?>> out = new IdentityHashMap<>();
    Map<Transformation<?>, TwoInputTransformation<?, ?, ?>> chainOf = new IdentityHashMap<>();
    for (Transformation<?> n : nodes) {
      if (n instanceof TwoInputTransformation<?, ?, ?> t && t.spec().broadcastsSecondInput()) {
        collect(t, t.input2(), out, chainOf);
      }
    }
    for (Transformation<?> n : nodes) {
      for (Transformation<?> in : n.inputs()) {
        TwoInputTransformation<?, ?, ?> owner = chainOf.get(in);
        boolean ownInput = n == owner || chainOf.get(n) == owner;
        if (owner != null && !ownInput) {
          throw new IllegalStateException(
              "'"
                  + in.name()
                  + "' is the broadcast input of '"
                  + owner.name()
                  + "' and also feeds '"
                  + n.name()
                  + "': every task of '"
                  + owner.name()
                  + "' reads all of its topic outside the consumer group, so it cannot feed"
                  + " anything else. Read the topic with a second fromSource(...) for other uses.");
        }
      }
    }
    return out;
  }

  private static void collect(
      TwoInputTransformation<?, ?, ?> op,
      Transformation<?> node,
      Map<SourceTransformation<?>, TwoInputTransformation<?, ?, ?>> out,
      Map<Transformation<?>, TwoInputTransformation<?, ?, ?>> chainOf) {
    TwoInputTransformation<?, ?, ?> previous = chainOf.put(node, op);
    if (previous != null && previous != op) {
      throw new IllegalStateException(
          "'"
              + node.name()
              + "' is broadcast to both '"
              + previous.name()
              + "' and '"
              + op.name()
              + "': connect a broadcast stream to one operator, or read its topic with one"
              + " fromSource(...) per operator.");
    }
    if (node instanceof SourceTransformation<?> src) {
      out.put(src, op);
      return;
    }
    if (node instanceof PartitionTransformation<?>
        || node instanceof TwoInputTransformation<?, ?, ?>) {
      throw new IllegalStateException(
          "The broadcast input of '"
              + op.name()
              + "' goes through '"
              + node.name()
              + "' ("
              + node.kind()
              + "): a broadcast stream must be read straight from a source, with only map,"
              + " filter, flatMap or process between fromSource(...) and broadcast(...). Write"
              + " the stream to a topic and broadcast a source of that topic.");
    }
    for (Transformation<?> in : node.inputs()) {
      collect(op, in, out, chainOf);
    }
  }
}
