package dev.weir.internal.graph;

import dev.weir.stream.Topology;
import java.util.function.BiFunction;

/**
 * Lets the runtime reach a {@link Topology}'s plan without a public method on the API class. The
 * API class registers itself when it is initialised, which happens before any instance exists.
 */
public final class TopologyAccess {
  private static volatile BiFunction<Topology, String, Plan> planner;

  private TopologyAccess() {}

  public static void register(BiFunction<Topology, String, Plan> p) {
    planner = p;
  }

  public static Plan plan(Topology topology, String applicationId) {
    return planner.apply(topology, applicationId);
  }
}
