package dev.weir.perf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka sources and sinks of the Flink contenders, and their (de)serialization. */
final class FlinkKafka {
  private FlinkKafka() {}

  /**
   * A source named {@code name} reading {@code topics} from the beginning, committing its offsets
   * to the application id's group at every completed checkpoint (where the harness sees the input
   * consumed).
   */
  static <T> KafkaSource<T> source(
      ContenderSpec spec,
      String name,
      List<String> topics,
      KafkaRecordDeserializationSchema<T> schema) {
    return KafkaSource.<T>builder()
        .setBootstrapServers(spec.bootstrap())
        .setTopics(topics)
        .setGroupId(spec.appId())
        .setClientIdPrefix(spec.appId() + "-" + name)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(schema)
        .build();
  }

  /**
   * A sink writing key/value pairs to the output topic, exactly-once (a transaction per checkpoint)
   * or at-least-once (flushed at each checkpoint) by the run's mode.
   */
  static <V> KafkaSink<Tuple2<String, V>> sink(ContenderSpec spec, ValueBytes<V> values) {
    String topic = spec.output();
    return KafkaSink.<Tuple2<String, V>>builder()
        .setBootstrapServers(spec.bootstrap())
        .setDeliveryGuarantee(
            spec.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
        .setTransactionalIdPrefix(spec.appId())
        .setKafkaProducerConfig(FlinkContender.producerProperties())
        .setRecordSerializer(
            (KafkaRecordSerializationSchema<Tuple2<String, V>>)
                (element, context, timestamp) ->
                    new ProducerRecord<>(
                        topic,
                        element.f0.getBytes(StandardCharsets.UTF_8),
                        values.bytes(element.f1)))
        .build();
  }

  /** Encodes an output value as the other contenders' serdes do. */
  interface ValueBytes<V> extends java.io.Serializable {
    byte[] bytes(V value);

    /** UTF-8, as Kafka's string serializer. */
    static ValueBytes<String> utf8() {
      return v -> v.getBytes(StandardCharsets.UTF_8);
    }

    /** Eight bytes big-endian, as Kafka's long serializer. */
    static ValueBytes<Long> int64() {
      return v -> ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }
  }

  /** Record values as UTF-8 strings; the first one starts the harness's measured interval. */
  static final class Values implements KafkaRecordDeserializationSchema<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
      out.collect(new String(record.value(), StandardCharsets.UTF_8));
    }

    @Override
    public TypeInformation<String> getProducedType() {
      return Types.STRING;
    }
  }

  /**
   * Record keys and values as UTF-8 strings (W2K); the deserializer is where a W2K contender first
   * touches a record, so it starts the measured interval ({@link MarkingStrings} for the others).
   */
  static final class KeyValues implements KafkaRecordDeserializationSchema<Tuple2<String, String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(
        ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<String, String>> out) {
      ContenderMain.recordParsed();
      byte[] k = record.key();
      out.collect(
          Tuple2.of(
              k == null ? "" : new String(k, StandardCharsets.UTF_8),
              new String(record.value(), StandardCharsets.UTF_8)));
    }

    @Override
    public TypeInformation<Tuple2<String, String>> getProducedType() {
      return Types.TUPLE(Types.STRING, Types.STRING);
    }
  }
}
