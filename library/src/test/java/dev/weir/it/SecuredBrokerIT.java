package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.ApplicationState;
import dev.weir.ThreadFailureResponse;
import dev.weir.WeirApplication;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once stateful pipeline (a running count per key behind a repartition: internal topics,
 * transactions and the consumer group all in use) on a SASL_SSL cluster with ACLs, as a user that
 * holds exactly the ACLs {@code docs/security.md} lists, and again as a user missing one of them.
 */
class SecuredBrokerIT {
  private static final String APP = "secure-count";
  private static final String IN = "secure-in";
  private static final String OUT = "secure-out";
  private static final int RECORDS = 200;
  private static final int KEYS = 4;

  private static EmbeddedKafkaCluster kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafkaCluster.builder().secured().start();
    kafka.createTopic(IN, 2);
    kafka.createTopic(OUT, 2);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /**
   * The ACLs of docs/security.md for application {@code APP} reading {@link #IN} and writing {@link
   * #OUT}, except {@code omitted}.
   */
  private static List<AclBinding> documentedAcls(String user, AclOperation omittedOnGroup) {
    String principal = "User:" + user;
    List<AclBinding> acls = new ArrayList<>();
    for (AclOperation op :
        List.of(
            AclOperation.CREATE,
            AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.DELETE)) {
      acls.add(allow(principal, op, ResourceType.TOPIC, APP + "-", PatternType.PREFIXED));
    }
    if (omittedOnGroup != AclOperation.READ) {
      acls.add(allow(principal, AclOperation.READ, ResourceType.GROUP, APP, PatternType.LITERAL));
    }
    acls.add(
        allow(
            principal,
            AclOperation.WRITE,
            ResourceType.TRANSACTIONAL_ID,
            APP + "-",
            PatternType.PREFIXED));
    acls.add(
        allow(
            principal,
            AclOperation.DESCRIBE,
            ResourceType.TRANSACTIONAL_ID,
            APP + "-",
            PatternType.PREFIXED));
    acls.add(
        allow(
            principal,
            AclOperation.IDEMPOTENT_WRITE,
            ResourceType.CLUSTER,
            "kafka-cluster",
            PatternType.LITERAL));
    acls.add(allow(principal, AclOperation.READ, ResourceType.TOPIC, IN, PatternType.LITERAL));
    acls.add(allow(principal, AclOperation.WRITE, ResourceType.TOPIC, OUT, PatternType.LITERAL));
    return acls;
  }

  private static AclBinding allow(
      String principal, AclOperation op, ResourceType type, String name, PatternType pattern) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }

  private static void grant(List<AclBinding> acls) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin.createAcls(acls).all().get();
    }
  }

  /** The application's settings: the user's client security settings, plain (for every client). */
  private Properties appProps(String user, String password, Path stateDir) {
    Properties p = Pipelines.appProps(kafka.bootstrapServers(), APP, stateDir);
    p.putAll(kafka.clientProperties(user, password));
    return p;
  }

  private static List<String> expectedCounts() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      expected.add("k" + (i % KEYS) + ":" + i + ":" + (i / KEYS + 1));
    }
    return expected;
  }

  @Test
  void exactlyOnceCountRunsWithTheDocumentedAclsAndAMissingOneIsNamed() throws Exception {
    kafka.createUser("weir-app", "app-secret");
    grant(documentedAcls("weir-app", null));
    Topology topology = Pipelines.runningCount(IN, OUT);
    Pipelines.produce(kafka.clientProperties(), IN, 0, RECORDS, KEYS);

    try (WeirApplication app =
        new WeirApplication(topology, appProps("weir-app", "app-secret", tmp.resolve("a")))) {
      app.start();
      List<String> out =
          Pipelines.readCommitted(kafka.clientProperties(), OUT, RECORDS, Duration.ofSeconds(60));
      assertThat(out).containsExactlyInAnyOrderElementsOf(expectedCounts());
      assertThat(app.state()).isEqualTo(ApplicationState.RUNNING);
    }

    // The same application as a user without READ on its consumer group.
    kafka.createUser("weir-app-no-group", "app-secret");
    grant(documentedAcls("weir-app-no-group", AclOperation.READ));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication app =
        new WeirApplication(
            topology, appProps("weir-app-no-group", "app-secret", tmp.resolve("b")))) {
      app.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      app.start();
      assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.ERROR)).isTrue();
    }
    assertThat(failure.get())
        .hasMessageStartingWith(
            "Kafka denied User:weir-app-no-group: the application needs READ on the consumer group"
                + " '"
                + APP
                + "' (the application id).")
        .hasMessageContaining(
            "--allow-principal User:weir-app-no-group --operation Read --group " + APP)
        .hasMessageEndingWith("Every ACL an application needs is listed in docs/security.md.");
    // Nothing was written by the denied run.
    assertThat(
            Pipelines.readCommitted(kafka.clientProperties(), OUT, RECORDS, Duration.ofSeconds(60)))
        .containsExactlyInAnyOrderElementsOf(expectedCounts());
  }
}
