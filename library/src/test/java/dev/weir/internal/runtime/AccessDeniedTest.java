package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.errors.WeirException;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** A broker's "not authorized" becomes an error naming the resource, operation and fix. */
class AccessDeniedTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"etl\""
          + " password=\"x\";";
  private static final String N = System.lineSeparator();

  private final Plan plan = plan();

  private static Plan plan() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("orders", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("clean", Serdes.String()));
    return TopologyAccess.plan(b.build(), "etl-app");
  }

  private static String grant(String principal, String rest) {
    return "kafka-acls.sh --bootstrap-server <broker> --command-config <admin.properties> --add"
        + " --allow-principal "
        + principal
        + " --operation "
        + rest;
  }

  @Test
  void aDeniedTopicIsNamedWithTheOperationItsRoleNeeds() {
    Throwable denied =
        new KafkaException(
            "poll failed",
            new TopicAuthorizationException(
                new TreeSet<>(Set.of("orders", "clean", "etl-app-x-changelog"))));
    Throwable explained = AccessDenied.explain(denied, plan, JAAS);
    assertThat(explained).isInstanceOf(WeirException.class).hasCause(denied);
    assertThat(explained.getMessage())
        .isEqualTo(
            "Kafka denied User:etl: the application needs WRITE on its output topic 'clean';"
                + " CREATE, DESCRIBE, DESCRIBE_CONFIGS, READ, WRITE and DELETE on its internal"
                + " topic 'etl-app-x-changelog' (all topics prefixed 'etl-app-'); READ on its"
                + " input topic 'orders'. Broker's answer: TopicAuthorizationException: Not"
                + " authorized to access topics: [clean, etl-app-x-changelog, orders]. Grant it"
                + " with:"
                + N
                + "  "
                + grant("User:etl", "Write --topic clean")
                + N
                + "  "
                + grant(
                    "User:etl",
                    "Create --operation Describe --operation DescribeConfigs --operation Read"
                        + " --operation Write --operation Delete --topic etl-app-"
                        + " --resource-pattern-type prefixed")
                + N
                + "  "
                + grant("User:etl", "Read --topic orders")
                + N
                + " Every ACL an application needs is listed in docs/security.md.");
  }

  @Test
  void transactionalIdsAndTheClusterAreNamed() {
    assertThat(
            AccessDenied.explain(
                    new TransactionalIdAuthorizationException("denied"), plan, new Password(JAAS))
                .getMessage())
        .startsWith(
            "Kafka denied User:etl: the application needs WRITE and DESCRIBE on the"
                + " transactional ids prefixed 'etl-app-'")
        .contains(
            grant(
                "User:etl",
                "Write --operation Describe --transactional-id etl-app-"
                    + " --resource-pattern-type prefixed"));
    assertThat(
            AccessDenied.explain(new ClusterAuthorizationException("denied"), plan, null)
                .getMessage())
        .startsWith(
            "Kafka denied User:<the application's principal>: the application needs"
                + " IDEMPOTENT_WRITE on the cluster")
        .contains("--operation IdempotentWrite --cluster");
  }

  @Test
  void aFailedLoginNamesTheSettingsToCheck() {
    assertThat(
            AccessDenied.explain(new SaslAuthenticationException("bad password"), plan, JAAS)
                .getMessage())
        .isEqualTo(
            "The Kafka cluster did not authenticate this application (bad password). Check"
                + " security.protocol, sasl.mechanism, sasl.jaas.config and the ssl.truststore.*"
                + " settings (plain, or prefixed consumer./producer./admin.); docs/security.md"
                + " shows a working set.");
  }

  @Test
  void otherFailuresPassUnchanged() {
    RuntimeException other = new IllegalStateException("boom");
    assertThat(AccessDenied.explain(other, plan, JAAS)).isSameAs(other);
  }
}
