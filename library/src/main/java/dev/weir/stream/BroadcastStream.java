package dev.weir.stream;

import dev.weir.state.MapStateDescriptor;
import java.util.List;

/**
 * A stream whose every record reaches every task of the operator it is connected to, with the
 * broadcast states it declares. Made by {@link DataStream#broadcast}; connect a keyed or non-keyed
 * stream to it ({@link DataStream#connect(BroadcastStream)}) and process both with a {@code
 * (Keyed)BroadcastProcessFunction}.
 *
 * <p>Every task reads every partition of the broadcast stream's source topic itself, outside the
 * consumer group, and keeps its position in its own state (see the broadcast state guide). A
 * one-partition topic gives every task the same order of broadcast records.
 *
 * @param <T> record type
 */
public final class BroadcastStream<T> {
  final DataStream<T> stream;
  final List<MapStateDescriptor<?, ?>> descriptors;

  BroadcastStream(DataStream<T> stream, List<MapStateDescriptor<?, ?>> descriptors) {
    this.stream = stream;
    this.descriptors = List.copyOf(descriptors);
  }

  /**
   * Returns the broadcast states this stream declares.
   *
   * @return the descriptors, unmodifiable
   */
  public List<MapStateDescriptor<?, ?>> getBroadcastStateDescriptors() {
    return descriptors;
  }
}
