package dev.weir.functions;

import java.io.Serializable;

/**
 * Chooses the partition of a repartition topic for a key; used by {@code partitionCustom}.
 *
 * @param <K> key type
 */
@FunctionalInterface
public interface Partitioner<K> extends Serializable {
  /**
   * Returns the target partition.
   *
   * @param key the key, never null
   * @param numPartitions the partition count of the repartition topic, at least 1
   * @return a partition in {@code [0, numPartitions)}
   */
  int partition(K key, int numPartitions);
}
