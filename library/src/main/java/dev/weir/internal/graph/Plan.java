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
import java.util.function.Predicate;
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

  /**
   * The async operators that keep their requests in flight at a commit in a store (their input has
   * a serde, design record 015), by operator name in operator order, with their changelog topic.
   * Weir versions before record 015 gave them no store, so their topology differs.
   */
  public Map<String, String> asyncRequestStores() {
    return storesOf(spec -> spec instanceof OperatorSpec.AsyncSpec);
  }

  /**
   * The window operators, by operator name in operator order, with their changelog topic. Any of
   * them can keep lists in its store (its records, a merging assigner's window set, a trigger's or
   * a window function's per-window list state), whose layout changed with design record 032.
   */
  public Map<String, String> windowStores() {
    return storesOf(spec -> spec instanceof OperatorSpec.WindowSpec);
  }

  /** The one-input operators with a store whose spec {@code kind} accepts, as the two above. */
  private Map<String, String> storesOf(Predicate<OperatorSpec> kind) {
    Map<String, String> out = new LinkedHashMap<>();
    TreeMap<Integer, Transformation<?>> ordered = new TreeMap<>();
    storeNames.keySet().forEach(n -> ordered.put(n.id(), n));
    for (Transformation<?> n : ordered.values()) {
      if (n instanceof OneInputTransformation<?, ?> o && kind.test(o.spec())) {
        out.put(n.name(), changelogTopic(storeNames.get(n)));
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

  /** The topics of {@code s}'s broadcast inputs, which every task of {@code s} reads in full. */
  public List<String> broadcastTopics(SubTopology s) {
    Set<String> topics = new LinkedHashSet<>();
    for (SourceTransformation<?> src : s.broadcastSources()) {
      topics.addAll(src.source().topics());
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
    for (List<Transformation<?>> g : upstreamsFirst(groups, parent)) {
      SubTopology s = new SubTopology(subs.size(), g);
      subs.add(s);
      g.forEach(n -> owner.put(n, s));
    }
    Map<PartitionTransformation<?>, String> topics = new LinkedHashMap<>();
    Set<String> usedExchangeNames = new HashSet<>();
    Map<SourceTransformation<?>, TwoInputTransformation<?, ?, ?>> broadcast =
        BroadcastInputs.find(nodes);
    for (Transformation<?> n : nodes) {
      SubTopology s = owner.get(n);
      if (n instanceof SourceTransformation<?> src) {
        if (broadcast.containsKey(src)) {
          s.broadcastSources.add(src);
        } else {
          s.sources.add(src);
        }
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
                  + "' or pass Repartition.named(...).withValueSerde(serde). Only records that"
                  + " cross an internal topic (keyBy, rebalance) need it; a sink uses the serde it"
                  + " names.");
        }
      }
    }
    checkKeyedOperators(nodes);
    checkEventTimeInputs(nodes);
    return new Plan(applicationId, subs, topics, storeNames(nodes));
  }

  /**
   * Orders the groups so that every group comes after the groups writing the exchanges it reads
   * (creation order among the rest). Creation order alone is not enough once a group holds nodes
   * created before its upstream: a source connected later to a keyed stream, a broadcast source.
   */
  private static List<List<Transformation<?>>> upstreamsFirst(
      Map<Transformation<?>, List<Transformation<?>>> groups,
      Map<Transformation<?>, Transformation<?>> parent) {
    List<List<Transformation<?>>> out = new ArrayList<>();
    Set<Transformation<?>> placed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    while (out.size() < groups.size()) {
      boolean progress = false;
      for (Map.Entry<Transformation<?>, List<Transformation<?>>> g : groups.entrySet()) {
        if (placed.contains(g.getKey())) {
          continue;
        }
        boolean ready = true;
        for (Transformation<?> n : g.getValue()) {
          if (n instanceof PartitionTransformation<?> p
              && !placed.contains(find(parent, p.input()))) {
            ready = false;
            break;
          }
        }
        if (ready) {
          placed.add(g.getKey());
          out.add(g.getValue());
          progress = true;
          break; // restart: keep creation order among the groups that are ready
        }
      }
      if (!progress) {
        throw new IllegalStateException("The topology's exchanges form a cycle");
      }
    }
    return out;
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
    for (Transformation<?> o : nodes) {
      if (!isStateful(o)) {
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

  /**
   * Whether {@code n} is an operator with a store: on a keyed stream, or keeping task state (a
   * two-phase-commit sink its pending transactions; an async operator whose input has a serde its
   * requests in flight at a commit, design record 015).
   */
  private static boolean isStateful(Transformation<?> n) {
    return (n instanceof OneInputTransformation<?, ?> o
            && (o.keyed()
                || o.spec() instanceof OperatorSpec.TwoPhaseSinkSpec
                || (o.spec() instanceof OperatorSpec.AsyncSpec
                    && effectiveSerde(o.input()) != null)))
        || (n instanceof TwoInputTransformation<?, ?, ?> t && t.stateful());
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
      if (n instanceof TwoInputTransformation<?, ?, ?> t && t.keyed()) {
        if (!t.spec().broadcastsSecondInput()) {
          checkCoPartitioned(t);
        } else if (keyOrigin(t.input1()) == null) {
          throw notKeyed(t, "first", t.input1());
        }
      }
    }
  }

  /**
   * Rejects an event-time window fed (through any chain, union or exchange) by a source that reads
   * without watermarks. Such a source partition's watermark stays at its lowest value and is never
   * idle, and a task's watermark is the minimum over its inputs, so the window would never fire and
   * its state would only grow: a pipeline that can never work fails at build time instead.
   */
  private static void checkEventTimeInputs(List<Transformation<?>> nodes) {
    for (Transformation<?> n : nodes) {
      if (!(n instanceof OneInputTransformation<?, ?> o)
          || !(o.spec() instanceof OperatorSpec.WindowSpec w)
          || !w.assigner().isEventTime()) {
        continue;
      }
      SourceTransformation<?> blind = sourceWithoutWatermarks(o, new HashSet<>());
      if (blind != null) {
        throw new IllegalStateException(
            "Operator '"
                + o.name()
                + "' uses event-time windows ("
                + w.assigner().getClass().getSimpleName()
                + "), but its input from source '"
                + blind.name()
                + "' has no watermarks, so its windows would never fire. Read the source with"
                + " event time: fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness(...),"
                + " \""
                + blind.name()
                + "\"), or use processing-time windows.");
      }
    }
  }

  /** The first source upstream of {@code t} that generates no watermarks, or null. */
  private static SourceTransformation<?> sourceWithoutWatermarks(
      Transformation<?> t, Set<Transformation<?>> seen) {
    if (!seen.add(t)) {
      return null;
    }
    if (t instanceof SourceTransformation<?> src) {
      return src.watermarks().generatesWatermarks() ? null : src;
    }
    // A broadcast input does not count toward its operator's watermark (design record 009).
    List<Transformation<?>> inputs =
        t instanceof TwoInputTransformation<?, ?, ?> two && two.spec().broadcastsSecondInput()
            ? List.of(two.input1())
            : t.inputs();
    for (Transformation<?> in : inputs) {
      SourceTransformation<?> found = sourceWithoutWatermarks(in, seen);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * A keyed two-input operator sees records of equal keys of both inputs on one task only when both
   * inputs are keyed with the same key serde and partitioned alike (same partitioner, same
   * partition count). What can be known without a broker is checked here; the partition counts of
   * existing topics are checked at start.
   */
  private static void checkCoPartitioned(TwoInputTransformation<?, ?, ?> t) {
    Transformation<?> k1 = keyOrigin(t.input1());
    Transformation<?> k2 = keyOrigin(t.input2());
    if (k1 == null) {
      throw notKeyed(t, "first", t.input1());
    }
    if (k2 == null) {
      throw notKeyed(t, "second", t.input2());
    }
    Serde<?> s1 = keySerdeOf(k1);
    Serde<?> s2 = keySerdeOf(k2);
    Class<?> c1 = s1.serializer().getClass();
    Class<?> c2 = s2.serializer().getClass();
    if (!c1.equals(c2)) {
      throw new IllegalStateException(
          "Operator '"
              + t.name()
              + "' connects "
              + describe(k1)
              + " keyed with "
              + c1.getName()
              + " and "
              + describe(k2)
              + " keyed with "
              + c2.getName()
              + ": both inputs must have the same key type and key serde, or equal keys would"
              + " reach different tasks. keyBy(...) both inputs with the same key type and serde.");
    }
    if (k1 instanceof PartitionTransformation<?> p1
        && k2 instanceof PartitionTransformation<?> p2
        && p1.partitions() > 0
        && p2.partitions() > 0
        && p1.partitions() != p2.partitions()) {
      throw new IllegalStateException(
          "Operator '"
              + t.name()
              + "' connects "
              + describe(k1)
              + " with "
              + p1.partitions()
              + " partitions and "
              + describe(k2)
              + " with "
              + p2.partitions()
              + " partitions: keyed inputs must be co-partitioned, or equal keys would reach"
              + " different tasks. Give both keyBy(...) the same Repartition.withPartitions(n).");
    }
  }

  private static IllegalStateException notKeyed(
      TwoInputTransformation<?, ?, ?> t, String which, Transformation<?> input) {
    return new IllegalStateException(
        "Operator '"
            + t.name()
            + "' is keyed, but its "
            + which
            + " input '"
            + input.name()
            + "' is not a keyed stream: keyBy(...) both inputs with the same key type, or use"
            + " process(CoProcessFunction) for unkeyed inputs.");
  }

  /**
   * The node that keyed the records {@code t} emits (a key-hash exchange or a keying step), or null
   * when they are not keyed.
   */
  public static Transformation<?> keyOrigin(Transformation<?> t) {
    if (t instanceof PartitionTransformation<?> p) {
      return p.mode() == ExchangeMode.KEY_HASH ? p : null;
    }
    if (t instanceof OneInputTransformation<?, ?> o) {
      if (o.spec() instanceof OperatorSpec.KeyingSpec) {
        return o;
      }
      return o.keyed() ? keyOrigin(o.input()) : null;
    }
    return null;
  }

  /** The key serde of a node {@link #keyOrigin} returned. */
  private static Serde<?> keySerdeOf(Transformation<?> origin) {
    if (origin instanceof PartitionTransformation<?> p) {
      return p.keySerde();
    }
    return ((OperatorSpec.KeyingSpec) ((OneInputTransformation<?, ?>) origin).spec()).keySerde();
  }

  /** Names a keyed input for errors: the stream that was keyed, and how. */
  static String describe(Transformation<?> keyOrigin) {
    if (keyOrigin instanceof PartitionTransformation<?> p) {
      return "'" + p.input().name() + "' (keyBy '" + p.name() + "')";
    }
    return "'" + keyOrigin.name() + "'";
  }

  /**
   * Whether records emitted by {@code t} carry a key context (directly after keyBy, or a union of
   * keyed streams: what a window coGroup's window operator reads).
   */
  public static boolean isKeyed(Transformation<?> t) {
    if (t instanceof PartitionTransformation<?> p) {
      return p.mode() == ExchangeMode.KEY_HASH;
    }
    if (t instanceof UnionTransformation<?> u) {
      return u.inputs().stream().allMatch(Plan::isKeyed);
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
      sb.append("  Sub-topology ").append(s.id()).append(" reads ").append(inputTopics(s));
      if (!s.broadcastSources().isEmpty()) {
        sb.append(" and broadcasts ").append(broadcastTopics(s)).append(" to every task");
      }
      sb.append('\n');
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
