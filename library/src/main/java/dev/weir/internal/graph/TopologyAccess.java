package dev.weir.internal.graph;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Lets the runtime reach a topology's plan without a public method on the API class. The API class
 * registers its planner when it is initialised, which happens before any instance exists. The
 * topology is typed {@code Object} here so that this package does not depend on the API package
 * that depends on it.
 */
public final class TopologyAccess {
  private static volatile BiFunction<Object, String, Plan> planner;

  private TopologyAccess() {}

  /**
   * Registers the planner; called once by the topology class's initialiser.
   *
   * @param p maps a topology and an application id to its plan
   */
  public static void register(BiFunction<Object, String, Plan> p) {
    planner = Objects.requireNonNull(p, "planner");
  }

  /**
   * Plans a topology for an application id.
   *
   * @param topology a {@code dev.weir.stream.Topology}
   * @param applicationId the application id internal topic names are derived from
   * @return the plan
   * @throws IllegalArgumentException when {@code topology} is not a topology
   */
  public static Plan plan(Object topology, String applicationId) {
    return planner.apply(topology, applicationId);
  }
}
