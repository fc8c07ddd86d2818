package dev.weir.internal.task;

import dev.weir.internal.graph.SourceSpec;
import dev.weir.store.KeyValueStore;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The broadcast input of a task (design record 009): reads every partition of its topic, not only
 * the task's own, and records how far it has read in the broadcast operator's store, under {@code
 * ['p'][topic][partition]}, next to the broadcast state. Both reach the changelog in the task's
 * Kafka transaction with its output and its main input offsets, so a task recreated anywhere
 * resumes with broadcast state and position that belong together; the consumer group commits no
 * offset for a broadcast topic, since many tasks read each partition at their own positions.
 *
 * <p>Records carry no key (keyed state cannot be used from the broadcast side) and register no
 * event-time channel: the broadcast input does not hold the task's watermark back.
 *
 * @param <T> the record type
 */
final class BroadcastInput<T> implements StreamTask.InputHandler {
  private final String name;
  private final String topic;
  private final SourceSpec.Deserializer<T> deserializer;
  private final Emitter<? super T> out;
  private final TaskContext context;
  private final String storeName;

  /**
   * @param name the source's name, named by deserialisation errors
   * @param topic the broadcast topic
   * @param deserializer the source's deserialiser
   * @param out the operator's broadcast input (or the first operator chained before it)
   * @param context the task
   * @param storeName the broadcast operator's store, where the position is kept
   */
  BroadcastInput(
      String name,
      String topic,
      SourceSpec.Deserializer<T> deserializer,
      Emitter<? super T> out,
      TaskContext context,
      String storeName) {
    this.name = name;
    this.topic = topic;
    this.deserializer = deserializer;
    this.out = out;
    this.context = context;
    this.storeName = storeName;
  }

  @Override
  public boolean readsAllPartitions() {
    return true;
  }

  /** The broadcast topic. */
  String topic() {
    return topic;
  }

  @Override
  public void handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
    T value;
    try {
      value = deserializer.deserialize(record);
    } catch (Exception e) {
      throw new StreamTask.DeserializationFailure(name, e);
    }
    // No current key on the broadcast side, whatever the record's key.
    context.record().keyBytes = null;
    if (value != null) {
      out.emit(value);
    }
    store().put(positionKey(record.partition()), StateFormat.value(longBytes(record.offset() + 1)));
  }

  /**
   * The committed next offset of {@code partition}, as restored with the task's state.
   *
   * @return the offset, or -1 when the task never read the partition
   */
  long position(int partition) {
    byte[] v = store().get(positionKey(partition));
    return v == null ? -1 : ByteBuffer.wrap(StateFormat.payload(v)).getLong();
  }

  private KeyValueStore store() {
    return context.state().store(storeName);
  }

  private byte[] positionKey(int partition) {
    return StateFormat.keyPrefix(
        StateFormat.statePrefix(StateFormat.SCOPE_POSITION, topic),
        ByteBuffer.allocate(4).putInt(partition).array());
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
