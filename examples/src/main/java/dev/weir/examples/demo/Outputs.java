package dev.weir.examples.demo;

import dev.weir.examples.sensors.Reading;
import dev.weir.examples.sensors.WindowAverage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the pipeline's three output topics from the beginning with {@code read_committed}, as any
 * downstream consumer of an exactly-once application must, and keeps every record. Not thread-safe.
 */
final class Outputs implements AutoCloseable {
  final List<WindowAverage> windows = new ArrayList<>();
  final List<RiseAlert> alerts = new ArrayList<>();
  final List<Reading> late = new ArrayList<>();

  /** Records whose value did not parse; each counts as wrong. */
  int malformed;

  private final DemoTopics topics;
  private final KafkaConsumer<String, String> consumer;
  private final List<TopicPartition> partitions = new ArrayList<>();
  private final Map<String, Long> newestWindowBySensor = new HashMap<>();
  private long newestWindowEnd = Long.MIN_VALUE;

  Outputs(String bootstrapServers, DemoTopics topics) {
    this.topics = topics;
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "weir-demo-output-reader");
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    for (String topic : topics.outputs()) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Reads what has been committed since the last call, waiting at most {@code timeout}.
   *
   * @param timeout the longest wait
   */
  void poll(Duration timeout) {
    for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
      try {
        if (r.topic().equals(topics.averages())) {
          WindowAverage w = WindowAverage.parse(r.value());
          windows.add(w);
          newestWindowBySensor.merge(w.sensor(), w.start(), Math::max);
          newestWindowEnd = Math.max(newestWindowEnd, w.end());
        } else if (r.topic().equals(topics.alerts())) {
          alerts.add(RiseAlert.parse(r.value()));
        } else {
          late.add(Reading.parse(r.value()));
        }
      } catch (RuntimeException e) {
        malformed++;
      }
    }
  }

  /**
   * Reads every record committed up to now: until each partition's position reaches its last stable
   * offset as of this call.
   *
   * @param timeout the longest wait
   * @return true when everything was read in time
   */
  boolean readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean done = true;
      for (TopicPartition tp : partitions) {
        done &= consumer.position(tp) >= end.get(tp);
      }
      if (done) {
        return true;
      }
      poll(Duration.ofMillis(100));
    }
    return false;
  }

  /**
   * Picks a sensor and the start of a window whose result is committed, for a reading that is
   * certainly late.
   *
   * @param random picks the sensor
   * @return {@code sensor -> window start}, or null before the first result
   */
  Map.Entry<String, Long> committedWindow(Random random) {
    if (newestWindowBySensor.isEmpty()) {
      return null;
    }
    List<Map.Entry<String, Long>> all = new ArrayList<>(newestWindowBySensor.entrySet());
    all.sort(Map.Entry.comparingByKey());
    return all.get(random.nextInt(all.size()));
  }

  /**
   * Returns the end of the newest window received.
   *
   * @return epoch milliseconds; {@code Long.MIN_VALUE} before the first
   */
  long newestWindowEnd() {
    return newestWindowEnd;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
