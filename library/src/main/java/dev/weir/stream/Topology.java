package dev.weir.stream;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.graph.Transformation;
import java.util.List;

/**
 * An immutable pipeline built by a {@link StreamBuilder}, ready to be run by a {@code
 * WeirApplication}. A topology is independent of any application id; internal topic names are
 * derived when it runs.
 */
public final class Topology {
  private final List<Transformation<?>> nodes;

  Topology(List<Transformation<?>> nodes) {
    this.nodes = nodes;
    // Fail at build time, not at start: serdes, names.
    Plan.of(nodes, "<application.id>");
    // A built topology is immutable: name(...), uid(...) and returns(...) on its streams now fail.
    nodes.forEach(Transformation::freeze);
  }

  /**
   * Describes the sub-topologies, their operators and the internal topics between them, with {@code
   * <application.id>} standing for the application id.
   *
   * @return a multi-line description
   */
  public String describe() {
    return Plan.of(nodes, "<application.id>").describe();
  }

  /**
   * Returns the plan of this topology for an application id. For the runtime; not a stable API.
   *
   * @param applicationId the application id
   * @return the plan
   */
  Plan plan(String applicationId) {
    return Plan.of(nodes, applicationId);
  }

  static {
    TopologyAccess.register(Topology::planOf);
  }

  private static Plan planOf(Object topology, String applicationId) {
    if (!(topology instanceof Topology t)) {
      throw new IllegalArgumentException(
          "Expected a Topology built by a StreamBuilder, got "
              + (topology == null ? "null" : topology.getClass().getName()));
    }
    return t.plan(applicationId);
  }

  @Override
  public String toString() {
    return describe();
  }
}
