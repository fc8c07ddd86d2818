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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks user topics and creates or validates internal topics at start, before any thread runs:
 * source and sink topics must exist; the topics one sub-topology reads must have equal partition
 * counts; repartition topics get the upstream task count unless configured, and an existing
 * internal topic with another partition count is an error (counts are fixed once created). Reads
 * each changelog topic's {@code delete.retention.ms} on the way, for the stale-state guard.
 */
final class InternalTopics {
  /** How long to retry reading the configuration of a topic another instance just created. */
  private static final long CONFIG_RETRY_MS = 30_000;

  private final Admin admin;
  private final Plan plan;
  private final int replicationFactor;
  private final TopicSettings topicSettings;
  private final Map<String, Long> changelogDeleteRetentionMs = new HashMap<>();

  InternalTopics(Admin admin, Plan plan, int replicationFactor, TopicSettings topicSettings) {
    this.admin = admin;
    this.plan = plan;
    this.replicationFactor = replicationFactor;
    this.topicSettings = topicSettings;
  }

  /**
   * Returns the task count of each sub-topology, after creating what is missing.
   *
   * <p>One describe request covers every topic (user, repartition, changelog and the extra ones),
   * and the changelogs' configurations are asked for at the same time: on a restart, when every
   * internal topic exists, that is the whole set-up (design record 031). Topics are created only
   * when missing. The checks and their errors come in the same order as when each group of topics
   * was described on its own: the user topics first, then the repartition topics, the changelogs
   * and the extra topics.
   */
  Map<Integer, Integer> setUp(Collection<String> extraTopicsToCreate) {
    Set<String> userTopics = new TreeSet<>();
    for (SubTopology s : plan.subTopologies()) {
      for (SourceTransformation<?> src : s.sources()) {
        userTopics.addAll(src.source().topics());
      }
      for (SourceTransformation<?> src : s.broadcastSources()) {
        userTopics.addAll(src.source().topics());
      }
    }
    userTopics.addAll(plan.sinkTopics());
    Set<String> all = new LinkedHashSet<>(userTopics);
    all.addAll(plan.repartitionTopics().values());
    all.addAll(plan.changelogTopics().keySet());
    all.addAll(extraTopicsToCreate);
    Map<String, KafkaFuture<Config>> changelogConfigs =
        describeConfigs(plan.changelogTopics().keySet());
    Described described = describeAll(all);
    Map<String, Integer> counts = described.counts(userTopics);
    List<String> missing = userTopics.stream().filter(t -> !counts.containsKey(t)).toList();
    if (!missing.isEmpty()) {
      throw new WeirException(
          "Topics "
              + missing
              + " do not exist. Weir creates only its internal topics; create sources and sinks"
              + " first (kafka-topics.sh --create ...).");
    }
    Map<String, Integer> internal =
        new HashMap<>(described.counts(plan.repartitionTopics().values()));
    Map<Integer, Integer> tasks = new LinkedHashMap<>();
    // Sub-topologies are numbered so that every upstream comes before its downstream.
    for (SubTopology s : plan.subTopologies()) {
      Map<String, Integer> inputs = new LinkedHashMap<>();
      for (SourceTransformation<?> src : s.sources()) {
        src.source().topics().forEach(t -> inputs.put(t, counts.get(t)));
      }
      Integer fromUser = inputs.values().stream().findFirst().orElse(null);
      // Repartition topics without a configured count follow the sub-topology's source topics,
      // else a configured sibling, else the largest upstream task count: the inputs of one task
      // (a union, or the two keyed inputs of a connected operator) must be co-partitioned.
      Integer auto = fromUser;
      for (PartitionTransformation<?> p : s.reads()) {
        if (auto == null && p.partitions() > 0) {
          auto = p.partitions();
        }
      }
      if (auto == null) {
        auto = s.reads().stream().mapToInt(p -> tasks.get(plan.upstreamOf(p))).max().orElse(0);
      }
      for (PartitionTransformation<?> p : s.reads()) {
        String topic = plan.repartitionTopic(p);
        int want = p.partitions() > 0 ? p.partitions() : auto;
        Integer have = internal.get(topic);
        if (have == null) {
          create(
              topic,
              want,
              topicSettings.apply(
                  Map.of(
                      TopicConfig.RETENTION_MS_CONFIG,
                      "-1",
                      TopicConfig.CLEANUP_POLICY_CONFIG,
                      TopicConfig.CLEANUP_POLICY_DELETE)));
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
        String twoInput = CoPartitioning.describe(plan, s, inputs);
        if (twoInput != null) {
          throw new WeirException(twoInput);
        }
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
    setUpChangelogs(tasks, described.counts(plan.changelogTopics().keySet()), changelogConfigs);
    Map<String, Integer> extra = described.counts(extraTopicsToCreate);
    for (String t : extraTopicsToCreate) {
      if (!extra.containsKey(t)) {
        create(t, 1, Map.of());
      }
    }
    return tasks;
  }

  /**
   * The {@code delete.retention.ms} of every changelog topic, as read by {@link #setUp}.
   *
   * @return changelog topic to milliseconds
   */
  Map<String, Long> changelogDeleteRetentionMs() {
    return Map.copyOf(changelogDeleteRetentionMs);
  }

  /**
   * Changelog topics: compacted, one partition per task. An existing one with another partition
   * count would put a task's state in the wrong partition, so it is an error. Records each topic's
   * {@code delete.retention.ms}: from the create response for topics created here, else in one
   * describe-configs request.
   */
  private void setUpChangelogs(
      Map<Integer, Integer> tasks,
      Map<String, Integer> existing,
      Map<String, KafkaFuture<Config>> configs) {
    Map<String, Integer> changelogs = plan.changelogTopics();
    List<String> unread = new ArrayList<>();
    changelogs.forEach(
        (topic, sub) -> {
          int want = tasks.get(sub);
          Integer have = existing.get(topic);
          if (have == null) {
            Config created =
                create(
                    topic,
                    want,
                    topicSettings.apply(
                        Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                            "0")));
            if (created != null) {
              changelogDeleteRetentionMs.put(topic, deleteRetentionMs(topic, created));
            } else {
              unread.add(topic);
            }
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
          } else {
            unread.add(topic);
          }
        });
    // The configurations asked for with the describe: a topic that was unknown then (created
    // since, here or by another instance) is read again.
    List<String> again = new ArrayList<>();
    for (String topic : unread) {
      KafkaFuture<Config> config = configs.get(topic);
      try {
        changelogDeleteRetentionMs.put(topic, deleteRetentionMs(topic, config.get()));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw configFailed(topic, e);
        }
        again.add(topic);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeirException("Interrupted while reading changelog topic configurations", e);
      }
    }
    readDeleteRetention(again);
  }

  /** Asks for the configurations of the given topics; the answers are read later. */
  private Map<String, KafkaFuture<Config>> describeConfigs(Collection<String> topics) {
    Map<String, KafkaFuture<Config>> out = new HashMap<>();
    if (topics.isEmpty()) {
      return out;
    }
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    admin.describeConfigs(resources).values().forEach((r, f) -> out.put(r.name(), f));
    return out;
  }

  private static WeirException configFailed(String topic, ExecutionException failed) {
    return new WeirException(
        "Reading the configuration of changelog topic "
            + topic
            + " failed: "
            + failed.getCause()
            + ". Weir reads its delete.retention.ms to tell when local state is too old"
            + " to restore from; it needs DescribeConfigs on its internal topics.",
        failed);
  }

  /**
   * Reads {@code delete.retention.ms} of existing topics. A topic another instance has just created
   * may not be known to the broker answering yet: that is retried for a while.
   */
  private void readDeleteRetention(List<String> topics) {
    List<String> left = new ArrayList<>(topics);
    long deadline = System.currentTimeMillis() + CONFIG_RETRY_MS;
    while (!left.isEmpty()) {
      List<ConfigResource> resources =
          left.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      List<String> unknown = new ArrayList<>();
      try {
        for (Map.Entry<ConfigResource, KafkaFuture<Config>> e :
            admin.describeConfigs(resources).values().entrySet()) {
          String topic = e.getKey().name();
          try {
            changelogDeleteRetentionMs.put(topic, deleteRetentionMs(topic, e.getValue().get()));
          } catch (ExecutionException failed) {
            if (!(failed.getCause() instanceof UnknownTopicOrPartitionException)
                || System.currentTimeMillis() >= deadline) {
              throw configFailed(topic, failed);
            }
            unknown.add(topic);
          }
        }
        if (!unknown.isEmpty()) {
          Thread.sleep(100);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeirException("Interrupted while reading changelog topic configurations", e);
      }
      left = unknown;
    }
  }

  private static long deleteRetentionMs(String topic, Config config) {
    ConfigEntry entry = config.get(TopicConfig.DELETE_RETENTION_MS_CONFIG);
    if (entry == null || entry.value() == null) {
      throw new WeirException(
          "The broker did not return delete.retention.ms of changelog topic " + topic);
    }
    return Long.parseLong(entry.value());
  }

  /**
   * Creates a topic. Returns its configuration from the create response, or null when the topic
   * existed already or the response holds none (for example without DescribeConfigs permission).
   */
  private Config create(String topic, int partitions, Map<String, String> configs) {
    NewTopic nt =
        new NewTopic(
            topic,
            Optional.of(partitions),
            replicationFactor > 0 ? Optional.of((short) replicationFactor) : Optional.empty());
    nt.configs(configs);
    CreateTopicsResult result = admin.createTopics(List.of(nt));
    try {
      result.all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new WeirException("Creating internal topic " + topic + " failed: " + e.getCause(), e);
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("Interrupted while creating topic " + topic, e);
    }
    try {
      return result.config(topic).get();
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("Interrupted while creating topic " + topic, e);
    }
  }

  /**
   * The answer of one describe request: per topic its partition count, or why it could not be
   * described. An unknown topic is neither: it is missing.
   */
  private record Described(Map<String, Integer> partitions, Map<String, Throwable> failures) {
    /**
     * The partition counts of the given topics that exist.
     *
     * @throws WeirException when one of them could not be described
     */
    Map<String, Integer> counts(Collection<String> topics) {
      Map<String, Integer> out = new HashMap<>();
      for (String name : topics) {
        Throwable failed = failures.get(name);
        if (failed != null) {
          throw new WeirException("Describing topic " + name + " failed: " + failed, failed);
        }
        Integer n = partitions.get(name);
        if (n != null) {
          out.put(name, n);
        }
      }
      return out;
    }
  }

  private Described describeAll(Collection<String> topics) {
    Map<String, Integer> partitions = new HashMap<>();
    Map<String, Throwable> failures = new HashMap<>();
    List<String> list = new ArrayList<>(topics);
    if (list.isEmpty()) {
      return new Described(partitions, failures);
    }
    for (Map.Entry<String, KafkaFuture<TopicDescription>> e :
        admin.describeTopics(list).topicNameValues().entrySet()) {
      try {
        partitions.put(e.getKey(), e.getValue().get().partitions().size());
      } catch (ExecutionException failed) {
        if (!(failed.getCause() instanceof UnknownTopicOrPartitionException)) {
          failures.put(e.getKey(), failed.getCause());
        }
      } catch (InterruptedException failed) {
        Thread.currentThread().interrupt();
        throw new WeirException("Interrupted while describing topic " + e.getKey(), failed);
      }
    }
    return new Described(partitions, failures);
  }
}
