package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.graph.PartitionTransformation;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SourceTransformation;
import dev.weir.internal.graph.SubTopology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks user topics and creates or validates internal topics at start, before any thread runs:
 * source and sink topics must exist; the topics one sub-topology reads must have equal partition
 * counts; repartition topics get the upstream task count unless configured, and an existing
 * internal topic with another partition count is an error (counts are fixed once created).
 */
final class InternalTopics {
  private final Admin admin;
  private final Plan plan;
  private final int replicationFactor;

  InternalTopics(Admin admin, Plan plan, int replicationFactor) {
    this.admin = admin;
    this.plan = plan;
    this.replicationFactor = replicationFactor;
  }

  /** Returns the task count of each sub-topology, after creating what is missing. */
  Map<Integer, Integer> setUp(Collection<String> extraTopicsToCreate) {
    Set<String> userTopics = new TreeSet<>();
    for (SubTopology s : plan.subTopologies()) {
      for (SourceTransformation<?> src : s.sources()) {
        userTopics.addAll(src.source().topics());
      }
    }
    userTopics.addAll(plan.sinkTopics());
    Map<String, Integer> counts = describe(userTopics);
    List<String> missing = userTopics.stream().filter(t -> !counts.containsKey(t)).toList();
    if (!missing.isEmpty()) {
      throw new WeirException(
          "Topics "
              + missing
              + " do not exist. Weir creates only its internal topics; create sources and sinks"
              + " first (kafka-topics.sh --create ...).");
    }
    Map<String, Integer> internal = new HashMap<>(describe(plan.repartitionTopics().values()));
    Map<Integer, Integer> tasks = new LinkedHashMap<>();
    // Sub-topologies are numbered so that every upstream comes before its downstream.
    for (SubTopology s : plan.subTopologies()) {
      Map<String, Integer> inputs = new LinkedHashMap<>();
      for (SourceTransformation<?> src : s.sources()) {
        src.source().topics().forEach(t -> inputs.put(t, counts.get(t)));
      }
      Integer fromUser = inputs.values().stream().findFirst().orElse(null);
      for (PartitionTransformation<?> p : s.reads()) {
        String topic = plan.repartitionTopic(p);
        int want =
            p.partitions() > 0
                ? p.partitions()
                : (fromUser != null ? fromUser : tasks.get(plan.upstreamOf(p)));
        Integer have = internal.get(topic);
        if (have == null) {
          create(
              topic,
              want,
              Map.of(
                  TopicConfig.RETENTION_MS_CONFIG,
                  "-1",
                  TopicConfig.CLEANUP_POLICY_CONFIG,
                  TopicConfig.CLEANUP_POLICY_DELETE));
          have = want;
          internal.put(topic, want);
        } else if (p.partitions() > 0 && have != p.partitions()) {
          throw new WeirException(
              "Internal topic "
                  + topic
                  + " has "
                  + have
                  + " partitions but the topology asks for "
                  + p.partitions()
                  + ". Partition counts are fixed once created: keep "
                  + have
                  + ", or reset the application to start over.");
        }
        inputs.put(topic, have);
      }
      if (inputs.values().stream().distinct().count() > 1) {
        throw new WeirException(
            "Sub-topology "
                + s.id()
                + " reads topics with different partition counts "
                + inputs
                + ": one task reads the same partition of each. Give them equal partition counts,"
                + " or rebalance() one input before merging.");
      }
      tasks.put(s.id(), inputs.values().iterator().next());
    }
    setUpChangelogs(tasks);
    Map<String, Integer> extra = describe(extraTopicsToCreate);
    for (String t : extraTopicsToCreate) {
      if (!extra.containsKey(t)) {
        create(t, 1, Map.of());
      }
    }
    return tasks;
  }

  /**
   * Changelog topics: compacted, one partition per task. An existing one with another partition
   * count would put a task's state in the wrong partition, so it is an error.
   */
  private void setUpChangelogs(Map<Integer, Integer> tasks) {
    Map<String, Integer> changelogs = plan.changelogTopics();
    Map<String, Integer> existing = describe(changelogs.keySet());
    changelogs.forEach(
        (topic, sub) -> {
          int want = tasks.get(sub);
          Integer have = existing.get(topic);
          if (have == null) {
            create(
                topic,
                want,
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                    "0"));
          } else if (have != want) {
            throw new WeirException(
                "Changelog topic "
                    + topic
                    + " has "
                    + have
                    + " partitions but its operator runs "
                    + want
                    + " tasks; each task's state lives in the partition of the same number. Were"
                    + " the input topics' partition counts changed? Reset the application (delete"
                    + " its internal topics and local state) or restore the partition counts.");
          }
        });
  }

  private void create(String topic, int partitions, Map<String, String> configs) {
    NewTopic nt =
        new NewTopic(
            topic,
            Optional.of(partitions),
            replicationFactor > 0 ? Optional.of((short) replicationFactor) : Optional.empty());
    nt.configs(configs);
    try {
      admin.createTopics(List.of(nt)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new WeirException("Creating internal topic " + topic + " failed: " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("Interrupted while creating topic " + topic, e);
    }
  }

  private Map<String, Integer> describe(Collection<String> topics) {
    Map<String, Integer> out = new HashMap<>();
    List<String> list = new ArrayList<>(topics);
    if (list.isEmpty()) {
      return out;
    }
    admin
        .describeTopics(list)
        .topicNameValues()
        .forEach(
            (name, future) -> {
              try {
                TopicDescription d = future.get();
                out.put(name, d.partitions().size());
              } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                  throw new WeirException(
                      "Describing topic " + name + " failed: " + e.getCause(), e);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WeirException("Interrupted while describing topic " + name, e);
              }
            });
    return out;
  }
}
