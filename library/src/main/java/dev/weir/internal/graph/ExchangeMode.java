package dev.weir.internal.graph;

/** How records are distributed over the partitions of a repartition topic. */
public enum ExchangeMode {
  /** Partition by the murmur2 hash of the serialised key, as Kafka's default partitioner does. */
  KEY_HASH,
  /** Round-robin over all partitions. */
  REBALANCE,
  /** A user {@code Partitioner} applied to a user-selected key. */
  CUSTOM
}
