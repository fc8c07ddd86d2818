package dev.weir.internal.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The operators between exchanges: one task of a sub-topology reads partition {@code p} of every
 * input topic and runs the chained operators for it.
 */
public final class SubTopology {
  private final int id;
  private final List<Transformation<?>> nodes;
  final List<SourceTransformation<?>> sources = new ArrayList<>();
  final List<SourceTransformation<?>> broadcastSources = new ArrayList<>();
  final List<PartitionTransformation<?>> reads = new ArrayList<>();
  final List<PartitionTransformation<?>> writes = new ArrayList<>();

  SubTopology(int id, List<Transformation<?>> nodes) {
    this.id = id;
    this.nodes = List.copyOf(nodes);
  }

  public int id() {
    return id;
  }

  /** The nodes of this sub-topology in creation order (inputs before the nodes that read them). */
  public List<Transformation<?>> nodes() {
    return nodes;
  }

  /** User source topics read by this sub-topology's tasks, each its own partition. */
  public List<SourceTransformation<?>> sources() {
    return Collections.unmodifiableList(sources);
  }

  /**
   * Sources read as broadcast inputs: every task reads every partition of their topics, outside the
   * consumer group (design record 009). Not among {@link #sources()}.
   */
  public List<SourceTransformation<?>> broadcastSources() {
    return Collections.unmodifiableList(broadcastSources);
  }

  /** The exchanges whose repartition topics this sub-topology reads. */
  public List<PartitionTransformation<?>> reads() {
    return Collections.unmodifiableList(reads);
  }

  /** The exchanges this sub-topology writes to (their writers are chained here). */
  public List<PartitionTransformation<?>> writes() {
    return Collections.unmodifiableList(writes);
  }
}
