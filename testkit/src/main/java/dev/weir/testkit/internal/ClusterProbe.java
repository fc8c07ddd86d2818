package dev.weir.testkit.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits for a cluster, or a part of it, to be usable. Every wait polls a condition until a
 * deadline, fails fast when a node's JVM has died, and throws {@link IllegalStateException} on
 * timeout.
 */
public final class ClusterProbe {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private ClusterProbe() {}

  /**
   * Waits until every given node accepts TCP connections on its client port. Cheaper and quieter
   * than letting a Kafka client retry against ports nobody listens on yet.
   *
   * @param nodes the nodes
   * @param deadline when to give up
   */
  public static void awaitListening(Collection<BrokerNode> nodes, Deadline deadline) {
    for (BrokerNode node : nodes) {
      while (!accepts(node.address().brokerPort())) {
        checkAlive(List.of(node));
        if (deadline.passed()) {
          throw new IllegalStateException(
              "broker "
                  + node.address().nodeId()
                  + " did not open its port in "
                  + deadline.budget());
        }
        Deadline.pause();
      }
    }
  }

  /**
   * Waits until the cluster's metadata lists (registered and unfenced) all the given node ids.
   *
   * @param admin a client of the cluster
   * @param nodes the nodes that must be listed; they must be running
   * @param deadline when to give up
   */
  public static void awaitRegistered(Admin admin, Collection<BrokerNode> nodes, Deadline deadline) {
    Set<Integer> expected =
        nodes.stream()
            .map(n -> n.address().nodeId())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<Integer> seen = Set.of();
    while (true) {
      checkAlive(nodes);
      seen = listedNodes(admin);
      if (seen.containsAll(expected)) {
        return;
      }
      if (deadline.passed()) {
        throw new IllegalStateException(
            "the cluster lists brokers "
                + seen
                + " but not all of "
                + expected
                + " after "
                + deadline.budget());
      }
      Deadline.pause();
    }
  }

  /**
   * Returns the ids of the brokers the cluster's metadata lists now.
   *
   * @param admin a client of the cluster
   * @return the node ids, empty when the call failed or timed out
   */
  public static Set<Integer> listedNodes(Admin admin) {
    try {
      Collection<Node> listed =
          admin
              .describeCluster(
                  new DescribeClusterOptions().timeoutMs((int) CALL_TIMEOUT.toMillis()))
              .nodes()
              .get(CALL_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
      return listed.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    } catch (ExecutionException | TimeoutException e) {
      return Set.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  /**
   * Creates a topic and waits until every partition has a leader.
   *
   * @param admin a client of the cluster
   * @param topic the topic to create
   * @param timeout the longest wait for each of the two steps
   * @throws KafkaException as thrown by Kafka, for example {@code TopicExistsException}
   * @throws IllegalStateException on timeout or interrupt
   */
  public static void createTopic(Admin admin, NewTopic topic, Duration timeout) {
    try {
      admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KafkaException) {
        throw (KafkaException) e.getCause();
      }
      throw new IllegalStateException("creating topic " + topic.name() + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating topic " + topic.name() + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
    }
    awaitLeaders(admin, topic.name(), Deadline.after(timeout));
  }

  /**
   * Waits for an admin call.
   *
   * @param future the call's result
   * @param deadline when to give up
   * @throws IllegalStateException when the call fails or times out
   */
  public static void await(KafkaFuture<?> future, Deadline deadline) {
    try {
      future.get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("an admin call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("an admin call timed out after " + deadline.budget(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  /**
   * Waits until every partition of a topic has a leader.
   *
   * @param admin a client of the cluster
   * @param topic the topic
   * @param deadline when to give up
   */
  public static void awaitLeaders(Admin admin, String topic, Deadline deadline) {
    String last = "no description yet";
    while (!deadline.passed()) {
      try {
        TopicDescription description =
            admin
                .describeTopics(
                    List.of(topic),
                    new DescribeTopicsOptions().timeoutMs((int) CALL_TIMEOUT.toMillis()))
                .allTopicNames()
                .get(CALL_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
                .get(topic);
        if (description.partitions().stream()
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
        last = description.toString();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new IllegalStateException("describing topic " + topic + " failed", e.getCause());
        }
        last = e.getCause().toString();
      } catch (TimeoutException e) {
        last = "describeTopics timed out";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Kafka", e);
      }
      Deadline.pause();
    }
    throw new IllegalStateException(
        "topic "
            + topic
            + " has partitions without a leader after "
            + deadline.budget()
            + ": "
            + last);
  }

  /**
   * Throws if a node's JVM has exited.
   *
   * @param nodes the nodes that should run
   * @throws IllegalStateException naming the first node that does not run
   */
  public static void checkAlive(Collection<BrokerNode> nodes) {
    for (BrokerNode node : nodes) {
      if (!node.isRunning()) {
        throw new IllegalStateException("broker " + node.address().nodeId() + " " + node.status());
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(NodeAddress.HOST, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates (or replaces) a SCRAM-SHA-512 user and waits until a broker lets it log in: the
   * controller commits the credential first, and a broker serves it only once it applied the
   * record, so a login as the user is the proof.
   *
   * @param admin a super user's admin client
   * @param user the user name
   * @param password its password
   * @param userConfig admin client settings that log in as the user
   * @param deadline when to give up
   * @param clusterName the cluster's name, for the error
   * @throws IllegalStateException when the user cannot log in before the deadline
   */
  public static void createScramUser(
      Admin admin,
      String user,
      String password,
      Map<String, Object> userConfig,
      Deadline deadline,
      String clusterName) {
    await(
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        password)))
            .all(),
        deadline);
    while (true) {
      try (Admin asUser = Admin.create(userConfig)) {
        await(asUser.describeCluster().clusterId(), deadline);
        return;
      } catch (IllegalStateException e) {
        if (deadline.passed()) {
          throw new IllegalStateException(
              "user "
                  + user
                  + " of Kafka cluster "
                  + clusterName
                  + " cannot log in: "
                  + e.getMessage(),
              e);
        }
        pauseBeforeLogin();
      }
    }
  }

  /** A short pause between login attempts (a failed SCRAM login fails at once). */
  private static void pauseBeforeLogin() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a user to be known", e);
    }
  }
}
