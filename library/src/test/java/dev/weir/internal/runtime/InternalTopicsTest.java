package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirConfig;
import dev.weir.errors.WeirException;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * The topic set-up's requests against a fake admin client (design record 031): one describe for
 * every topic and the changelogs' configurations beside it; creations only for missing topics.
 */
class InternalTopicsTest {
  private static final Node NODE = new Node(0, "localhost", 9092);

  /** in (4) -> keyBy (repartition) -> reduce (changelog) -> out. */
  private final Plan plan;

  private final String repartition;
  private final String changelog;

  /** Topic to partition count, as the fake cluster has them. */
  private final Map<String, Integer> cluster = new TreeMap<>();

  /** The requests, in order: name and topics. */
  private final List<String> requests = new ArrayList<>();

  InternalTopicsTest() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(v -> v, Serdes.String(), Repartition.<String>named("by-key"))
        .reduce((x, y) -> x + y)
        .uid("sum")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    plan = TopologyAccess.plan(b.build(), "app");
    repartition = plan.repartitionTopics().values().iterator().next();
    changelog = plan.changelogTopics().keySet().iterator().next();
  }

  private Map<Integer, Integer> setUp() {
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    InternalTopics topics =
        new InternalTopics(admin(), plan, 1, TopicSettings.of(TestSettings.of(props)));
    Map<Integer, Integer> counts = topics.setUp(List.of());
    assertThat(topics.changelogDeleteRetentionMs()).containsExactly(Map.entry(changelog, 1234L));
    return counts;
  }

  @Test
  void aRestartIsOneDescribeOfEveryTopicAndOneDescribeConfigs() {
    cluster.putAll(Map.of("in", 4, "out", 2, repartition, 4, changelog, 4));

    assertThat(setUp()).containsExactly(Map.entry(0, 4), Map.entry(1, 4));

    assertThat(requests)
        .containsExactly(
            "describeConfigs [" + changelog + "]",
            "describeTopics [in, out, " + repartition + ", " + changelog + "]");
  }

  @Test
  void aFirstStartCreatesOnlyTheMissingInternalTopics() {
    cluster.putAll(Map.of("in", 4, "out", 2));

    assertThat(setUp()).containsExactly(Map.entry(0, 4), Map.entry(1, 4));

    assertThat(requests)
        .containsExactly(
            "describeConfigs [" + changelog + "]",
            "describeTopics [in, out, " + repartition + ", " + changelog + "]",
            "createTopics [" + repartition + "=4]",
            "createTopics [" + changelog + "=4]");
  }

  @Test
  void aMissingSourceFailsAfterTheOneDescribeAndCreatesNothing() {
    cluster.putAll(Map.of("out", 2, changelog, 4));

    assertThatThrownBy(this::setUp)
        .isInstanceOf(WeirException.class)
        .hasMessageStartingWith("Topics [in] do not exist.");

    assertThat(requests)
        .containsExactly(
            "describeConfigs [" + changelog + "]",
            "describeTopics [in, out, " + repartition + ", " + changelog + "]");
  }

  @Test
  void aChangelogWithAnotherPartitionCountFailsTheSetUp() {
    cluster.putAll(Map.of("in", 4, "out", 2, repartition, 4, changelog, 2));

    assertThatThrownBy(this::setUp)
        .isInstanceOf(WeirException.class)
        .hasMessageStartingWith(
            "Changelog topic " + changelog + " has 2 partitions but its operator runs 4 tasks;");
  }

  private static <T> KafkaFuture<T> failed(Exception e) {
    KafkaFutureImpl<T> f = new KafkaFutureImpl<>();
    f.completeExceptionally(e);
    return f;
  }

  private static Config config() {
    return new Config(List.of(new ConfigEntry("delete.retention.ms", "1234")));
  }

  @SuppressWarnings("unchecked")
  private Admin admin() {
    return (Admin)
        Proxy.newProxyInstance(
            Admin.class.getClassLoader(),
            new Class<?>[] {Admin.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "describeTopics" -> {
                    Collection<String> names = (Collection<String>) args[0];
                    requests.add("describeTopics " + names);
                    Map<String, KafkaFuture<TopicDescription>> out = new HashMap<>();
                    for (String name : names) {
                      Integer n = cluster.get(name);
                      if (n == null) {
                        out.put(name, failed(new UnknownTopicOrPartitionException(name)));
                      } else {
                        List<TopicPartitionInfo> partitions = new ArrayList<>();
                        for (int p = 0; p < n; p++) {
                          partitions.add(
                              new TopicPartitionInfo(p, NODE, List.of(NODE), List.of(NODE)));
                        }
                        out.put(
                            name,
                            KafkaFuture.completedFuture(
                                new TopicDescription(name, false, partitions)));
                      }
                    }
                    yield new DescribeTopicsResult(null, out) {};
                  }
                  case "describeConfigs" -> {
                    Collection<ConfigResource> resources = (Collection<ConfigResource>) args[0];
                    requests.add(
                        "describeConfigs " + resources.stream().map(ConfigResource::name).toList());
                    Map<ConfigResource, KafkaFuture<Config>> out = new HashMap<>();
                    for (ConfigResource r : resources) {
                      out.put(
                          r,
                          cluster.containsKey(r.name())
                              ? KafkaFuture.completedFuture(config())
                              : failed(new UnknownTopicOrPartitionException(r.name())));
                    }
                    yield new DescribeConfigsResult(out) {};
                  }
                  case "createTopics" -> {
                    Collection<NewTopic> topics = (Collection<NewTopic>) args[0];
                    requests.add(
                        "createTopics "
                            + topics.stream()
                                .map(t -> t.name() + "=" + t.numPartitions())
                                .toList());
                    Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> out =
                        new HashMap<>();
                    for (NewTopic t : topics) {
                      cluster.put(t.name(), t.numPartitions());
                      out.put(
                          t.name(),
                          KafkaFuture.completedFuture(
                              new CreateTopicsResult.TopicMetadataAndConfig(
                                  Uuid.randomUuid(), t.numPartitions(), 1, config())));
                    }
                    yield new CreateTopicsResult(out) {};
                  }
                  case "close" -> null;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
