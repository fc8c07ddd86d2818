package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The group as the broker's coordinator sees it, for the scaling ITs: which instance's consumers
 * hold which partitions, and the instances' task counters, taken together once the group has
 * settled. Also the steady input those ITs run under.
 */
final class GroupView {
  /**
   * A settled group.
   *
   * @param partitions per instance (the test's name for it), the input partitions its consumers
   *     hold, as {@code topic-p}: one per task in the ITs' topologies
   * @param counters per instance, its {@code metricsSnapshot()} at that moment
   */
  record Settled(Map<String, Set<String>> partitions, Map<String, Map<String, Long>> counters) {
    long counter(String instance, String name) {
      return counters.get(instance).get(name);
    }
  }

  private GroupView() {}

  /**
   * The group of {@code appId} if it has settled: the coordinator's group is stable with one member
   * per instance (one thread each), every one of {@code tasks} partitions is held by exactly one
   * member, loads differ by at most one, and every instance is RUNNING with as many tasks as its
   * member holds partitions, having closed all the others it created. Null otherwise.
   */
  static Settled settled(Admin admin, String appId, Map<String, WeirApplication> apps, int tasks)
      throws Exception {
    ConsumerGroupDescription g = admin.describeConsumerGroups(Set.of(appId)).all().get().get(appId);
    if (g.groupState() != GroupState.STABLE || g.members().size() != apps.size()) {
      return null;
    }
    Map<String, Set<String>> byInstance = new TreeMap<>();
    Set<String> all = new TreeSet<>();
    int held = 0;
    for (MemberDescription m : g.members()) {
      String instance = null;
      for (Map.Entry<String, WeirApplication> e : apps.entrySet()) {
        String id = e.getValue().instanceId();
        if (id != null && m.clientId().startsWith(appId + "-" + id + "-")) {
          instance = e.getKey();
        }
      }
      if (instance == null) {
        return null; // a member of an instance that is gone and not yet expired
      }
      Set<String> mine = new TreeSet<>();
      for (TopicPartition tp : m.assignment().topicPartitions()) {
        mine.add(tp.toString());
      }
      held += mine.size();
      all.addAll(mine);
      byInstance.put(instance, mine);
    }
    if (byInstance.size() != apps.size() || held != tasks || all.size() != tasks) {
      return null;
    }
    int min = byInstance.values().stream().mapToInt(Set::size).min().orElse(0);
    int max = byInstance.values().stream().mapToInt(Set::size).max().orElse(0);
    if (max - min > 1) {
      return null;
    }
    Map<String, Map<String, Long>> counters = new HashMap<>();
    for (Map.Entry<String, WeirApplication> e : apps.entrySet()) {
      WeirApplication app = e.getValue();
      Map<String, Long> c = app.metricsSnapshot();
      long running = byInstance.get(e.getKey()).size();
      if (app.state() != ApplicationState.RUNNING
          || c.get("tasks") != running
          || c.get("tasks-created") - c.get("tasks-closed") != running) {
        return null;
      }
      counters.put(e.getKey(), c);
    }
    return new Settled(byInstance, counters);
  }

  /** Input at a fixed rate: {@code perTick} records every 50 ms, "k(i % keys):i" keyed by key. */
  static final class SteadyInput implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger next = new AtomicInteger();
    private final String topic;
    private final int keys;
    private final int perTick;

    SteadyInput(String bootstrap, String topic, int keys, int perTick) {
      Map<String, Object> c = new HashMap<>();
      c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ProducerConfig.ACKS_CONFIG, "all");
      this.producer = new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
      this.topic = topic;
      this.keys = keys;
      this.perTick = perTick;
    }

    void start() {
      timer.scheduleAtFixedRate(this::tick, 0, 50, TimeUnit.MILLISECONDS);
    }

    private void tick() {
      for (int n = 0; n < perTick; n++) {
        int i = next.getAndIncrement();
        String key = "k" + (i % keys);
        producer.send(new ProducerRecord<>(topic, key, key + ":" + i));
      }
    }

    /** Records written so far. */
    int written() {
      return next.get();
    }

    /**
     * Stops the input and waits until every record is acknowledged.
     *
     * @return how many records were written: seq 0 to the result - 1
     */
    int stop() throws InterruptedException {
      timer.shutdown();
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the input did not stop");
      }
      producer.flush();
      return next.get();
    }

    @Override
    public void close() {
      timer.shutdownNow();
      try {
        timer.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        producer.close();
      }
    }
  }
}
