package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A secured cluster: SASL_SSL with SCRAM-SHA-512 on a certificate made at start, ACLs enforced, the
 * super user unrestricted.
 */
class SecuredClusterIT {

  private static EmbeddedKafkaCluster kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafkaCluster.builder().secured().start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aUserWritesOnlyWhereAnAclAllowsAndAWrongPasswordIsRejected() throws Exception {
    kafka.createTopic("secured-allowed", 1);
    kafka.createTopic("secured-denied", 1);
    kafka.createUser("alice", "alice-secret");
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin
          .createAcls(
              List.of(
                  new AclBinding(
                      new ResourcePattern(
                          ResourceType.TOPIC, "secured-allowed", PatternType.LITERAL),
                      new AccessControlEntry(
                          "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
          .all()
          .get();
    }

    Map<String, Object> alice = kafka.clientProperties("alice", "alice-secret");
    alice.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(alice, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("secured-allowed", "k", "v1")).get();
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>("secured-denied", "k", "v")).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    // The super user reads without any ACL.
    assertThat(TopicReader.readAll(kafka, "secured-allowed", IsolationLevel.READ_COMMITTED))
        .containsExactly("v1");

    Map<String, Object> wrong = kafka.clientProperties("alice", "not-her-password");
    try (Admin admin = Admin.create(wrong)) {
      assertThatThrownBy(
              () ->
                  admin
                      .describeCluster()
                      .clusterId()
                      .get(30, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }
}
