package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.task.StreamTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the broadcast inputs of one task (design record 009): its own consumer, outside the group,
 * assigned every partition of every broadcast topic and positioned where the task's restored state
 * says, so that broadcast state and position always come from the same commit. Before the task's
 * first main record the reader catches up to the end the topics had when the task started, so a
 * task starts with the broadcast state its topic held then. Thread-confined to the stream thread.
 */
final class BroadcastReader implements AutoCloseable {
  private static final Duration CATCH_UP_POLL = Duration.ofMillis(100);

  private final StreamTask task;
  private final Consumer<byte[], byte[]> consumer;

  private BroadcastReader(StreamTask task, Consumer<byte[], byte[]> consumer) {
    this.task = task;
    this.consumer = consumer;
  }

  /**
   * Opens the reader of {@code task}, positions it and processes the broadcast records up to the
   * topics' current end.
   *
   * @param startAtLatest whether a topic with no position in the task's state starts at its end
   * @throws Exception a processing failure of a broadcast record (the thread rolls back)
   */
  static BroadcastReader open(
      StreamTask task,
      Consumer<byte[], byte[]> consumer,
      java.util.function.Predicate<String> startAtLatest)
      throws Exception {
    BroadcastReader r = new BroadcastReader(task, consumer);
    try {
      r.position(startAtLatest);
      r.catchUp();
    } catch (Exception | Error e) {
      r.close();
      throw e;
    }
    return r;
  }

  private void position(java.util.function.Predicate<String> startAtLatest) {
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : task.broadcastTopics()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw new WeirException(
            "Task " + task.id() + ": broadcast topic " + topic + " does not exist; create it");
      }
      infos.forEach(i -> all.add(new TopicPartition(topic, i.partition())));
    }
    consumer.assign(all);
    List<TopicPartition> toEnd = new ArrayList<>();
    List<TopicPartition> toBeginning = new ArrayList<>();
    for (TopicPartition tp : all) {
      long pos = task.broadcastPosition(tp);
      if (pos >= 0) {
        consumer.seek(tp, pos);
      } else if (startAtLatest.test(tp.topic())) {
        toEnd.add(tp);
      } else {
        toBeginning.add(tp);
      }
    }
    if (!toEnd.isEmpty()) {
      consumer.seekToEnd(toEnd);
    }
    if (!toBeginning.isEmpty()) {
      consumer.seekToBeginning(toBeginning);
    }
  }

  /** Processes records until every partition reached the end it had on entry. */
  private void catchUp() throws Exception {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    while (!caughtUp(end)) {
      process(consumer.poll(CATCH_UP_POLL));
    }
  }

  private boolean caughtUp(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Processes what the consumer has fetched, without waiting. */
  void poll() throws Exception {
    process(consumer.poll(Duration.ZERO));
  }

  private void process(ConsumerRecords<byte[], byte[]> records) throws Exception {
    for (TopicPartition tp : records.partitions()) {
      StreamTask.Input input = task.input(tp);
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        task.process(input, r);
      }
    }
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ZERO));
  }
}
