package dev.weir.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the output topic with {@code read_committed} from the beginning, on a thread of its own,
 * feeding every record to a check as it arrives. {@link #finish} reads on up to given end offsets
 * and stops.
 */
final class OutputReader {
  private final String topic;
  private final KafkaConsumer<String, String> consumer;
  private final List<TopicPartition> partitions;
  private final OutputCheck check;
  private final Thread thread;
  private final AtomicReference<Map<TopicPartition, Long>> finishAt = new AtomicReference<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile boolean stop;

  OutputReader(String bootstrap, String topic, int partitionCount, OutputCheck check) {
    this.check = check;
    this.topic = topic;
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "chaos-reader-" + topic);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    partitions =
        java.util.stream.IntStream.range(0, partitionCount)
            .mapToObj(p -> new TopicPartition(topic, p))
            .toList();
    thread = new Thread(this::run, "chaos-reader-" + topic);
    thread.setDaemon(true);
  }

  String topic() {
    return topic;
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stop) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          check.accept(r.partition(), r.offset(), r.key(), r.value());
        }
        Map<TopicPartition, Long> ends = finishAt.get();
        if (ends != null && reached(ends)) {
          finished.complete(null);
          return;
        }
      }
      finished.completeExceptionally(new IllegalStateException("output reader stopped"));
    } catch (RuntimeException e) {
      finished.completeExceptionally(e);
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads on until every partition's position reaches its end offset, then stops.
   *
   * @param ends the end offset of each output partition (no transaction may be open below them)
   * @param timeout the longest wait
   * @throws IllegalStateException naming the partitions not reached in time
   */
  void finish(Map<TopicPartition, Long> ends, Duration timeout) throws InterruptedException {
    finishAt.set(Map.copyOf(ends));
    try {
      finished.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "output reader did not reach the end offsets " + ends + " within " + timeout, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("output reader failed: " + e.getCause(), e.getCause());
    }
  }

  void close() throws InterruptedException {
    stop = true;
    thread.join(30_000);
  }
}
