package dev.weir.internal.task;

import dev.weir.functions.KeySelector;
import dev.weir.functions.Partitioner;
import dev.weir.internal.graph.ExchangeMode;
import dev.weir.internal.graph.SinkSpec;
import java.io.PrintStream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/** Operators at the end of a chain: Kafka sinks, repartition writers and print. */
final class SinkOperators {
  private SinkOperators() {}

  /** Writes to a user topic through the task's collector (inside the thread's transaction). */
  public static <T> Operator<T> kafka(String name, SinkSpec<T> sink) {
    return new Operator<T>(name) {
      private final String topic = sink.topicName();
      private final Serializer<? super T> values = sink.valueSerializer();
      private final SinkSpec.KeyWriter<T> keys = sink.keyWriter();
      private final SinkSpec.HeaderWriter<T> headerWriter = sink.headerWriter();
      private final SinkSpec.Partitioner<T> partitioner = sink.partitioner();

      @Override
      public void process(T value) throws Exception {
        byte[] k;
        byte[] v;
        RecordHeaders headers = null;
        Integer partition = null;
        try {
          k = keys == null ? null : keys.key(topic, value);
          if (headerWriter != null) {
            headers = new RecordHeaders();
            headerWriter.write(value, headers);
          }
          v = values.serialize(topic, headers, value);
          if (partitioner != null) {
            int p = partitioner.partition(value, k, task.collector().partitionCount(topic));
            partition = p < 0 ? null : p;
          }
        } catch (Exception e) {
          throw OperatorException.wrap(name, e);
        }
        task.collector().send(topic, partition, k, v, task.record().timestamp(), headers);
        task.metrics().recordsOut.increment();
      }
    };
  }

  /**
   * Writes to a repartition topic: key = serialised key (KEY_HASH), partition chosen explicitly so
   * that the downstream task owning a key is known (murmur2, as Kafka's default partitioner).
   */
  public static <T> Operator<T> repartition(
      String name,
      String topic,
      ExchangeMode mode,
      KeySelector<? super T, ?> keySelector,
      Serializer<?> keySerializer,
      Partitioner<?> partitioner,
      Serializer<T> valueSerializer) {
    return new Operator<T>(name) {
      private int roundRobin = -1;
      private int partitions;

      @Override
      protected void doOpen() {
        partitions = task.collector().partitionCount(topic);
        roundRobin = task.taskId().partition();
      }

      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public void process(T value) throws Exception {
        byte[] k = null;
        int partition;
        byte[] v;
        try {
          switch (mode) {
            case KEY_HASH -> {
              Object key = keySelector.getKey(value);
              if (key == null) {
                throw new NullPointerException("keyBy selector returned a null key");
              }
              k = ((Serializer) keySerializer).serialize(topic, key);
              partition = Utils.toPositive(Utils.murmur2(k)) % partitions;
            }
            case CUSTOM -> {
              Object key = keySelector.getKey(value);
              partition = ((Partitioner) partitioner).partition(key, partitions);
              if (partition < 0 || partition >= partitions) {
                throw new IllegalArgumentException(
                    "partitionCustom returned partition "
                        + partition
                        + " for a topic with "
                        + partitions
                        + " partitions");
              }
            }
            default -> {
              roundRobin = (roundRobin + 1) % partitions;
              partition = roundRobin;
            }
          }
          v = valueSerializer.serialize(topic, value);
        } catch (Exception e) {
          throw OperatorException.wrap(name, e);
        }
        task.collector().send(topic, partition, k, v, task.record().timestamp(), null);
      }
    };
  }

  /** Prints {@code toString()}, prefixed {@code n> } (1-based task partition) as Flink does. */
  public static <T> OperatorFactory<T, Void> print(String prefix, PrintStream stream) {
    return (name, out, sides) ->
        new Operator<T>(name) {
          @Override
          public void process(T value) {
            String head = prefix == null || prefix.isEmpty() ? "" : prefix + ":";
            int n = task.parallelism() > 1 ? task.taskId().partition() + 1 : 0;
            stream.println(
                n > 0 ? head + n + "> " + value : (head.isEmpty() ? "" : head + " ") + value);
          }
        };
  }
}
