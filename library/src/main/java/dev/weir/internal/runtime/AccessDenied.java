package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.graph.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Turns a broker's "not authorized" (or "not authenticated") answer, wherever in a failure's cause
 * chain, into an error that names the resource, the operation Weir needs on it, a {@code
 * kafka-acls} command that grants it, and {@code docs/security.md}, which lists every ACL an
 * application needs. Kafka's own exceptions name the topic or group at best, never the operation.
 *
 * <p>Threading: stateless; any thread.
 */
final class AccessDenied {

  static final String DOCS = "docs/security.md";

  private static final Pattern JAAS_USER = Pattern.compile("username=\"([^\"]*)\"");

  private AccessDenied() {}

  /**
   * Explains {@code failure} when Kafka denied something.
   *
   * @param failure any failure of the application; not null
   * @param plan the application's plan, which says what each topic is for; not null
   * @param jaasConfig the configured {@code sasl.jaas.config} (a string or a {@link Password}), to
   *     name the principal; may be null
   * @return a {@link WeirException} with {@code failure} as its cause, or {@code failure} itself
   *     when no authorization or authentication failure is in its cause chain
   */
  static Throwable explain(Throwable failure, Plan plan, Object jaasConfig) {
    WeirException explained = explainOrNull(failure, plan, jaasConfig);
    return explained == null ? failure : explained;
  }

  /** As {@link #explain}, for the failures of {@code start()}, which are runtime exceptions. */
  static RuntimeException explain(RuntimeException failure, Plan plan, Object jaasConfig) {
    WeirException explained = explainOrNull(failure, plan, jaasConfig);
    return explained == null ? failure : explained;
  }

  private static WeirException explainOrNull(Throwable failure, Plan plan, Object jaasConfig) {
    String principal = principal(jaasConfig);
    String app = plan.applicationId();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException) {
        return new WeirException(
            "The Kafka cluster did not authenticate this application ("
                + t.getMessage()
                + "). Check security.protocol, sasl.mechanism, sasl.jaas.config and the"
                + " ssl.truststore.* settings (plain, or prefixed consumer./producer./admin.); "
                + DOCS
                + " shows a working set.",
            failure);
      }
      if (t instanceof AuthorizationException denied) {
        return new WeirException(describe(denied, plan, app, principal), failure);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(
      AuthorizationException denied, Plan plan, String app, String principal) {
    String needed;
    List<String> grants = new ArrayList<>();
    if (denied instanceof GroupAuthorizationException group) {
      String id = group.groupId() == null ? app : group.groupId();
      needed = "READ on the consumer group '" + id + "' (the application id)";
      grants.add(acl(principal, "Read", "--group " + id));
    } else if (denied instanceof TransactionalIdAuthorizationException) {
      needed =
          "WRITE and DESCRIBE on the transactional ids prefixed '"
              + app
              + "-' (exactly-once gives each stream thread the id"
              + " <application.id>-<instance id>-<thread>)";
      grants.add(
          acl(
              principal,
              "Write --operation Describe",
              "--transactional-id " + app + "- --resource-pattern-type prefixed"));
    } else if (denied instanceof ClusterAuthorizationException) {
      needed = "IDEMPOTENT_WRITE on the cluster (the producers are idempotent)";
      grants.add(acl(principal, "IdempotentWrite", "--cluster"));
    } else if (denied instanceof TopicAuthorizationException topics) {
      needed = topicNeeds(topics.unauthorizedTopics(), plan, app, principal, grants);
    } else {
      needed = "the operation in the broker's answer";
    }
    StringBuilder text =
        new StringBuilder("Kafka denied ")
            .append(principal)
            .append(": the application needs ")
            .append(needed)
            .append(". Broker's answer: ")
            .append(denied.getClass().getSimpleName())
            .append(": ")
            .append(denied.getMessage())
            .append('.');
    if (!grants.isEmpty()) {
      text.append(" Grant it with:");
      grants.forEach(g -> text.append(System.lineSeparator()).append("  ").append(g));
      text.append(System.lineSeparator());
    }
    return text.append(" Every ACL an application needs is listed in ")
        .append(DOCS)
        .append('.')
        .toString();
  }

  private static String topicNeeds(
      Set<String> denied, Plan plan, String app, String principal, List<String> grants) {
    Set<String> inputs = new TreeSet<>();
    plan.subTopologies()
        .forEach(
            s -> {
              inputs.addAll(plan.inputTopics(s));
              inputs.addAll(plan.broadcastTopics(s));
            });
    Set<String> sinks = plan.sinkTopics();
    List<String> parts = new ArrayList<>();
    boolean internalGranted = false;
    for (String topic : new TreeSet<>(denied)) {
      if (topic.startsWith(app + "-")) {
        parts.add(
            "CREATE, DESCRIBE, DESCRIBE_CONFIGS, READ, WRITE and DELETE on its internal topic '"
                + topic
                + "' (all topics prefixed '"
                + app
                + "-')");
        if (!internalGranted) {
          grants.add(
              acl(
                  principal,
                  "Create --operation Describe --operation DescribeConfigs --operation Read"
                      + " --operation Write --operation Delete",
                  "--topic " + app + "- --resource-pattern-type prefixed"));
          internalGranted = true;
        }
      } else if (inputs.contains(topic) && sinks.contains(topic)) {
        parts.add("READ and WRITE on topic '" + topic + "' (an input and an output)");
        grants.add(acl(principal, "Read --operation Write", "--topic " + topic));
      } else if (inputs.contains(topic)) {
        parts.add("READ on its input topic '" + topic + "'");
        grants.add(acl(principal, "Read", "--topic " + topic));
      } else if (sinks.contains(topic)) {
        parts.add("WRITE on its output topic '" + topic + "'");
        grants.add(acl(principal, "Write", "--topic " + topic));
      } else {
        parts.add("access to topic '" + topic + "' (WRITE for a dead-letter topic)");
        grants.add(acl(principal, "Write", "--topic " + topic));
      }
    }
    return parts.isEmpty() ? "access to a topic the broker did not name" : String.join("; ", parts);
  }

  private static String acl(String principal, String operations, String resource) {
    return "kafka-acls.sh --bootstrap-server <broker> --command-config <admin.properties> --add"
        + " --allow-principal "
        + principal
        + " --operation "
        + operations
        + " "
        + resource;
  }

  private static String principal(Object jaasConfig) {
    if (jaasConfig != null) {
      String jaas = jaasConfig instanceof Password p ? p.value() : jaasConfig.toString();
      Matcher m = JAAS_USER.matcher(jaas);
      if (m.find()) {
        return "User:" + m.group(1);
      }
    }
    return "User:<the application's principal>";
  }
}
