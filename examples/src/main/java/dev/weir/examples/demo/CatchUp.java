package dev.weir.examples.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells whether the application has processed and committed all its input, from the application's
 * consumer group offsets. Output can still follow: event-time timers (window results, alerts) fire
 * when a task's watermark advances, which may be in a transaction after the one that consumed the
 * last input. So the demo waits for this and for every expected output, then stops the instances,
 * and only then reads the output to its end. Not thread-safe.
 */
final class CatchUp implements AutoCloseable {
  private final Admin admin;
  private final String applicationId;
  private final String readings;
  private final String repartition;
  private final KafkaConsumer<byte[], byte[]> probe;

  CatchUp(Admin admin, String bootstrapServers, String applicationId, String readings) {
    this.admin = admin;
    this.applicationId = applicationId;
    this.readings = readings;
    this.repartition = applicationId + "-" + SensorPipeline.BY_SENSOR + "-repartition";
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "weir-demo-catch-up-probe");
    probe = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Returns how many readings the application has not yet committed as consumed.
   *
   * @return the consumer group's lag on the readings topic
   * @throws Exception when Kafka cannot be asked
   */
  long readingsLag() throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = committed();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (var p :
        admin.describeTopics(List.of(readings)).allTopicNames().get().get(readings).partitions()) {
      latest.put(new TopicPartition(readings, p.partition()), OffsetSpec.latest());
    }
    long lag = 0;
    for (var e : admin.listOffsets(latest).all().get().entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  /**
   * Returns true when the group has committed every reading and every committed record of the
   * repartition topic (records and watermark markers alike).
   *
   * @return whether the application is done with everything written so far
   * @throws Exception when Kafka cannot be asked
   */
  boolean done() throws Exception {
    if (readingsLag() > 0) {
      return false;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = committed();
    List<TopicPartition> parts = new ArrayList<>();
    probe
        .partitionsFor(repartition)
        .forEach(p -> parts.add(new TopicPartition(repartition, p.partition())));
    probe.assign(parts);
    for (TopicPartition tp : parts) {
      OffsetAndMetadata c = committed.get(tp);
      if (c == null) {
        probe.seekToBeginning(List.of(tp));
      } else {
        probe.seek(tp, c.offset());
      }
    }
    // The end of committed data; between the group's offset and it there may only be transaction
    // markers, which a read_committed consumer steps over without returning anything.
    Map<TopicPartition, Long> end = probe.endOffsets(parts);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!probe.poll(Duration.ofMillis(100)).isEmpty()) {
        return false;
      }
      boolean atEnd = true;
      for (TopicPartition tp : parts) {
        atEnd &= probe.position(tp) >= end.get(tp);
      }
      if (atEnd) {
        return true;
      }
    }
    return false;
  }

  private Map<TopicPartition, OffsetAndMetadata> committed()
      throws InterruptedException, ExecutionException {
    return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
  }

  @Override
  public void close() {
    probe.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
