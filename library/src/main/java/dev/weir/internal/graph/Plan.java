package dev.weir.internal.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * The physical plan of a topology for one application id: sub-topologies split at every exchange,
 * internal topic names derived from stable operator ids, and the build-time checks (serdes at every
 * topic boundary, unique names).
 */
public final class Plan {
  private final String applicationId;
  private final List<SubTopology> subTopologies;
  private final Map<PartitionTransformation<?>, String> repartitionTopics;
  private final Map<PartitionTransformation<?>, Integer> upstreamOf = new IdentityHashMap<>();
  private final Map<Transformation<?>, String> storeNames;

  private Plan(
      String applicationId,
      List<SubTopology> subTopologies,
      Map<PartitionTransformation<?>, String> repartitionTopics,
      Map<Transformation<?>, String> storeNames) {
    this.applicationId = applicationId;
    this.subTopologies = List.copyOf(subTopologies);
    this.repartitionTopics = repartitionTopics;
    this.storeNames = storeNames;
    for (SubTopology s : subTopologies) {
      s.writes.forEach(p -> upstreamOf.put(p, s.id()));
    }
  }

  /** The application id internal topic names are derived from. */
  public String applicationId() {
    return applicationId;
  }

  /** The sub-topologies, upstreams first; a sub-topology's id is its index. */
  public List<SubTopology> subTopologies() {
    return subTopologies;
  }

  /** The sub-topology with id {@code id}. */
  public SubTopology subTopology(int id) {
    return subTopologies.get(id);
  }

  /** The internal topic of an exchange. */
  public String repartitionTopic(PartitionTransformation<?> exchange) {
    return repartitionTopics.get(exchange);
  }

  /** The internal topic of every exchange. */
  public Map<PartitionTransformation<?>, String> repartitionTopics() {
    return repartitionTopics;
  }

  /** The store of a stateful operator (one on a keyed stream), or null for a stateless one. */
  public String storeName(Transformation<?> operator) {
    return storeNames.get(operator);
  }

  /** The changelog topic of a store: {@code <application.id>-<store>-changelog}. */
  public String changelogTopic(String storeName) {
    return applicationId + "-" + storeName + "-changelog";
  }

  /** The stores of the operators of {@code s}, in operator order. */
  public List<String> stores(SubTopology s) {
    List<String> out = new ArrayList<>();
    TreeMap<Integer, Transformation<?>> ordered = new TreeMap<>();
    s.nodes().forEach(n -> ordered.put(n.id(), n));
    for (Transformation<?> n : ordered.values()) {
      String store = storeNames.get(n);
      if (store != null) {
        out.add(store);
      }
    }
    return out;
  }

  /** Changelog topic of every store, by sub-topology id (its task count is the partition count). */
  public Map<String, Integer> changelogTopics() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (SubTopology s : subTopologies) {
      for (String store : stores(s)) {
        out.put(changelogTopic(store), s.id());
      }
    }
    return out;
  }

  /** The id of the sub-topology that writes an exchange's topic. */
  public int upstreamOf(PartitionTransformation<?> exchange) {
    return upstreamOf.get(exchange);
  }

  /** Every topic a task of {@code s} reads, user topics first, in a stable order. */
  public List<String> inputTopics(SubTopology s) {
    Set<String> topics = new LinkedHashSet<>();
    for (SourceTransformation<?> src : s.sources()) {
      topics.addAll(src.source().topics());
    }
    for (PartitionTransformation<?> p : s.reads()) {
      topics.add(repartitionTopics.get(p));
    }
    return List.copyOf(topics);
  }

  /** All user topics the topology writes to. */
  public Set<String> sinkTopics() {
    Set<String> out = new LinkedHashSet<>();
    for (SubTopology s : subTopologies) {
      for (Transformation<?> t : s.nodes()) {
        if (t instanceof SinkTransformation<?> sink) {
          out.add(sink.sink().topicName());
        }
      }
    }
    return out;
  }

  /** The serde of the records a node emits: its own, or inherited through type-preserving nodes. */
  @SuppressWarnings("unchecked")
  public static <T> Serde<T> effectiveSerde(Transformation<T> t) {
    Transformation<?> cur = t;
    while (cur != null) {
      if (cur.serde() != null) {
        return (Serde<T>) cur.serde();
      }
      if (cur instanceof PartitionTransformation<?> p) {
        cur = p.input();
      } else if (cur instanceof UnionTransformation<?> u) {
        cur = u.inputs().get(0);
      } else if (cur instanceof OneInputTransformation<?, ?> o && preservesType(o)) {
        cur = o.input();
      } else {
        cur = null;
      }
    }
    return null;
  }

  private static boolean preservesType(OneInputTransformation<?, ?> o) {
    return o.spec() instanceof OperatorSpec.FilterSpec
        || o.spec() instanceof OperatorSpec.KeyingSpec;
  }

  /**
   * Plans {@code nodes} for {@code applicationId}.
   *
   * @throws IllegalStateException naming the operator and the fix when the pipeline is invalid
   */
  public static Plan of(List<Transformation<?>> nodes, String applicationId) {
    if (nodes.stream().noneMatch(n -> n instanceof SourceTransformation<?>)) {
      throw new IllegalStateException("The topology has no source: add one with fromSource(...)");
    }
    checkUniqueNames(nodes);
    // Union-find over nodes joined by non-exchange edges.
    Map<Transformation<?>, Transformation<?>> parent = new IdentityHashMap<>();
    nodes.forEach(n -> parent.put(n, n));
    for (Transformation<?> n : nodes) {
      if (n instanceof PartitionTransformation<?>) {
        continue;
      }
      for (Transformation<?> in : n.inputs()) {
        union(parent, n, in);
      }
    }
    Map<Transformation<?>, List<Transformation<?>>> groups = new LinkedHashMap<>();
    nodes.stream()
        .sorted(Comparator.comparingInt(Transformation::id))
        .forEach(n -> groups.computeIfAbsent(find(parent, n), k -> new ArrayList<>()).add(n));
    List<SubTopology> subs = new ArrayList<>();
    Map<Transformation<?>, SubTopology> owner = new IdentityHashMap<>();
    for (List<Transformation<?>> g : groups.values()) {
      SubTopology s = new SubTopology(subs.size(), g);
      subs.add(s);
      g.forEach(n -> owner.put(n, s));
    }
    Map<PartitionTransformation<?>, String> topics = new LinkedHashMap<>();
    Set<String> usedExchangeNames = new HashSet<>();
    for (Transformation<?> n : nodes) {
      SubTopology s = owner.get(n);
      if (n instanceof SourceTransformation<?> src) {
        s.sources.add(src);
      } else if (n instanceof PartitionTransformation<?> p) {
        s.reads.add(p);
        owner.get(p.input()).writes.add(p);
        String base = p.uid() != null ? p.uid() : p.input().stableId() + "-" + p.kind();
        String name = base;
        for (int i = 2; !usedExchangeNames.add(name); i++) {
          if (p.uid() != null) {
            throw new IllegalStateException(
                "Two exchanges are named '" + base + "': give each Repartition a unique name");
          }
          name = base + "-" + i;
        }
        topics.put(p, applicationId + "-" + name + "-repartition");
        if (effectiveSerde(p) == null) {
          throw new IllegalStateException(
              "Operator '"
                  + p.input().name()
                  + "' feeds a "
                  + p.kind()
                  + " whose records go through the internal topic '"
                  + topics.get(p)
                  + "', and Weir does not know their serde. Call .returns(serde) on '"
                  + p.input().name()
                  + "' or pass Repartition.named(...).withValueSerde(serde).");
        }
      }
    }
    checkKeyedOperators(nodes);
    return new Plan(applicationId, subs, topics, storeNames(nodes));
  }

  /**
   * Names the store of every stateful operator (every operator on a keyed stream, and every
   * two-phase-commit sink, which keeps its pending transactions) after its uid, else its name.
   * Generated names ({@code process-7}) shift when operators are added, which would orphan the
   * state: such operators get a warning at build time.
   */
  private static Map<Transformation<?>, String> storeNames(List<Transformation<?>> nodes) {
    Map<Transformation<?>, String> out = new IdentityHashMap<>();
    Set<String> used = new HashSet<>();
    for (Transformation<?> n : nodes) {
      if (!(n instanceof OneInputTransformation<?, ?> o)
          || !(o.keyed() || o.spec() instanceof OperatorSpec.TwoPhaseSinkSpec)) {
        continue;
      }
      String base = topicSafe(o.stableId());
      String name = base;
      for (int i = 2; !used.add(name); i++) {
        if (o.uid() != null) {
          throw new IllegalStateException(
              "Two stateful operators would share the store '"
                  + base
                  + "': give each a unique uid(...)");
        }
        name = base + "-" + i;
      }
      if (!o.hasExplicitIdentity()) {
        org.slf4j.LoggerFactory.getLogger(Plan.class)
            .warn(
                "Stateful operator '{}' has a generated name; its store and changelog topic are"
                    + " named after it and change when operators are added before it, which"
                    + " starts its state empty. Give it a stable uid(...).",
                o.name());
      }
      out.put(o, name);
    }
    return out;
  }

  /** Replaces characters Kafka does not allow in topic names. */
  static String topicSafe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static void checkKeyedOperators(List<Transformation<?>> nodes) {
    for (Transformation<?> n : nodes) {
      if (n instanceof OneInputTransformation<?, ?> o && o.keyed() && !isKeyed(o.input())) {
        throw new IllegalStateException(
            "Operator '" + o.name() + "' needs a keyed stream: apply it after keyBy(...)");
      }
    }
  }

  /** Whether records emitted by {@code t} carry a key context (directly after keyBy). */
  public static boolean isKeyed(Transformation<?> t) {
    if (t instanceof PartitionTransformation<?> p) {
      return p.mode() == ExchangeMode.KEY_HASH;
    }
    return t instanceof OneInputTransformation<?, ?> o
        && (o.spec() instanceof OperatorSpec.KeyingSpec || o.keyed());
  }

  private static void checkUniqueNames(List<Transformation<?>> nodes) {
    Map<String, Transformation<?>> uids = new HashMap<>();
    for (Transformation<?> n : nodes) {
      if (n.uid() != null) {
        Transformation<?> prev = uids.put(n.uid(), n);
        if (prev != null) {
          throw new IllegalStateException(
              "uid '" + n.uid() + "' is used by two operators (" + prev + " and " + n + ")");
        }
      }
    }
  }

  private static Transformation<?> find(
      Map<Transformation<?>, Transformation<?>> parent, Transformation<?> n) {
    Transformation<?> root = n;
    while (parent.get(root) != root) {
      root = parent.get(root);
    }
    parent.put(n, root);
    return root;
  }

  private static void union(
      Map<Transformation<?>, Transformation<?>> parent, Transformation<?> a, Transformation<?> b) {
    Transformation<?> ra = find(parent, a);
    Transformation<?> rb = find(parent, b);
    if (ra != rb) {
      if (ra.id() < rb.id()) {
        parent.put(rb, ra);
      } else {
        parent.put(ra, rb);
      }
    }
  }

  /** A readable description of the plan, for debugging. */
  public String describe() {
    StringBuilder sb = new StringBuilder("Topology (application.id=" + applicationId + ")\n");
    for (SubTopology s : subTopologies) {
      sb.append("  Sub-topology ")
          .append(s.id())
          .append(" reads ")
          .append(inputTopics(s))
          .append('\n');
      TreeMap<Integer, Transformation<?>> ordered = new TreeMap<>();
      s.nodes().forEach(n -> ordered.put(n.id(), n));
      for (Transformation<?> n : ordered.values()) {
        sb.append("    ").append(n.kind()).append(" '").append(n.name()).append('\'');
        List<String> ins = n.inputs().stream().map(Transformation::name).toList();
        if (!ins.isEmpty()) {
          sb.append(" <- ").append(String.join(", ", ins));
        }
        if (n instanceof SinkTransformation<?> sink) {
          sb.append(" -> topic ").append(sink.sink().topicName());
        }
        sb.append('\n');
      }
      for (PartitionTransformation<?> p : s.writes()) {
        sb.append("    writes ")
            .append(repartitionTopics.get(p))
            .append(" (")
            .append(p.kind())
            .append(")\n");
      }
    }
    return sb.toString();
  }
}
