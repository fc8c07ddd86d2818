package dev.weir.eventtime;

import java.io.Serializable;

/**
 * Creates a {@link WatermarkGenerator} per source partition.
 *
 * @param <T> the records' type
 */
@FunctionalInterface
public interface WatermarkGeneratorSupplier<T> extends Serializable {
  /**
   * Creates a generator.
   *
   * @return a new generator, used for one partition
   */
  WatermarkGenerator<T> createWatermarkGenerator();
}
