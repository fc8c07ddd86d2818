package dev.weir.internal.graph;

import dev.weir.functions.KeySelector;
import dev.weir.functions.Partitioner;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * An exchange: the input is written to a repartition topic and read back by the next sub-topology.
 * For {@link ExchangeMode#KEY_HASH} the downstream side is keyed.
 */
public final class PartitionTransformation<T> extends Transformation<T> {
  private final Transformation<T> input;
  private final ExchangeMode mode;
  private final KeySelector<? super T, ?> keySelector;
  private final Serde<?> keySerde;
  private final Partitioner<?> partitioner;
  private final int partitions;

  /**
   * Creates the node.
   *
   * @param id the node's id in creation order
   * @param input the node whose records cross the topic
   * @param mode how records are distributed
   * @param keySelector the key (KEY_HASH, CUSTOM), else null
   * @param keySerde the keys' serde (KEY_HASH), else null
   * @param partitioner the user's partitioner (CUSTOM), else null
   * @param partitions the topic's partition count; 0 means "the upstream task count"
   */
  public PartitionTransformation(
      int id,
      Transformation<T> input,
      ExchangeMode mode,
      KeySelector<? super T, ?> keySelector,
      Serde<?> keySerde,
      Partitioner<?> partitioner,
      int partitions) {
    super(id, kindOf(mode), input.serde());
    this.input = input;
    this.mode = mode;
    this.keySelector = keySelector;
    this.keySerde = keySerde;
    this.partitioner = partitioner;
    this.partitions = partitions;
  }

  private static String kindOf(ExchangeMode mode) {
    return switch (mode) {
      case KEY_HASH -> "keyBy";
      case REBALANCE -> "rebalance";
      case CUSTOM -> "partitionCustom";
    };
  }

  public Transformation<T> input() {
    return input;
  }

  public ExchangeMode mode() {
    return mode;
  }

  public KeySelector<? super T, ?> keySelector() {
    return keySelector;
  }

  public Serde<?> keySerde() {
    return keySerde;
  }

  public Partitioner<?> partitioner() {
    return partitioner;
  }

  /** The repartition topic's partition count; 0 means "the upstream task count". */
  public int partitions() {
    return partitions;
  }

  @Override
  public List<Transformation<?>> inputs() {
    return List.of(input);
  }
}
