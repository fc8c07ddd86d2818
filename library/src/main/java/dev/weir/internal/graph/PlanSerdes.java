package dev.weir.internal.graph;

import dev.weir.errors.WeirException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;

/**
 * Calls {@link Serde#configure(Map, boolean)} on the user serdes of a plan's topics (sources,
 * sinks, keyBy keys, {@code returns(...)} values) with the application's configuration, so that a
 * serde needing settings (a schema registry's URL, say) gets them from the application. Each serde
 * instance is configured once per role (key or value). State serdes are configured when their state
 * is first registered (see {@code OperatorStates}).
 */
public final class PlanSerdes {
  private PlanSerdes() {}

  /**
   * Configures the topic serdes of {@code plan}.
   *
   * @param plan the plan
   * @param configs the application's configuration (its originals)
   * @throws WeirException naming the operator when a serde's {@code configure} fails
   */
  public static void configure(Plan plan, Map<String, ?> configs) {
    Set<Serde<?>> keys = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Serde<?>> values = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SubTopology sub : plan.subTopologies()) {
      for (Transformation<?> n : sub.nodes()) {
        configure(n, configs, keys, values);
      }
      for (Transformation<?> n : sub.writes()) {
        configure(n, configs, keys, values);
      }
    }
  }

  private static void configure(
      Transformation<?> n, Map<String, ?> configs, Set<Serde<?>> keys, Set<Serde<?>> values) {
    try {
      if (n.serde() != null && values.add(n.serde())) {
        n.serde().configure(configs, false);
      }
      if (n instanceof SourceTransformation<?> s
          && s.source().serde() != null
          && values.add(s.source().serde())) {
        s.source().serde().configure(configs, false);
      }
      if (n instanceof PartitionTransformation<?> p
          && p.keySerde() != null
          && keys.add(p.keySerde())) {
        p.keySerde().configure(configs, true);
      }
      if (n instanceof SinkTransformation<?> s) {
        s.sink().configure(configs);
      }
    } catch (RuntimeException e) {
      throw new WeirException(
          "Configuring the serdes of '"
              + n.name()
              + "' with the application's configuration failed: "
              + e.getMessage(),
          e);
    }
  }
}
