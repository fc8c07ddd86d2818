package dev.weir.examples;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.stream.Topology;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Runs an example's topology against a Kafka cluster until Ctrl-C. Every example's {@code main}
 * calls it; the arguments are {@code [--bootstrap-servers host:port]} (default {@code
 * localhost:9092}), {@code [--command-config file]} (Kafka client properties, for example the
 * {@code security.protocol}, {@code sasl.*} and {@code ssl.*} settings of a secured cluster, as
 * {@code kafka-topics.sh --command-config} takes them; see docs/security.md) and {@code
 * [--state-dir directory]} (each instance on a machine needs its own).
 */
public final class ExampleRunner {
  private ExampleRunner() {}

  /**
   * Creates the example's topics where they are missing (the broker's default partition count and
   * replication factor), starts one instance and runs it until the JVM is asked to stop.
   *
   * @param args the program arguments
   * @param config the application's settings; {@code bootstrap.servers} is set from the arguments
   * @param topology what to run
   * @param topics the source and sink topics to create if missing
   * @throws Exception when the topics cannot be created or the instance fails to start
   */
  public static void run(String[] args, Properties config, Topology topology, String... topics)
      throws Exception {
    Map<String, Object> client = configure(args, config);
    String bootstrap = client.get(WeirConfig.BOOTSTRAP_SERVERS_CONFIG).toString();
    createMissingTopics(client, topics);
    System.out.println(topology.describe());
    // [docs:run-application]
    WeirApplication app = new WeirApplication(topology, config);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "example-shutdown"));
    app.start();
    // [/docs:run-application]
    System.out.printf(
        "%s is running against %s; Ctrl-C stops it.%n",
        config.get(WeirConfig.APPLICATION_ID_CONFIG), bootstrap);
    while (!app.awaitState(java.time.Duration.ofMinutes(1), ApplicationState.ERROR)) {
      System.out.println(app.metricsSnapshot());
    }
    System.exit(1); // the instance failed; its log says why
  }

  /**
   * Reads the arguments into {@code config}: {@code bootstrap.servers}, the state directory and
   * every property of the {@code --command-config} file (plain client settings reach all of Weir's
   * clients). {@code --bootstrap-servers} wins over a {@code bootstrap.servers} in the file;
   * without either it is {@code localhost:9092}.
   *
   * @param args the program arguments
   * @param config the application's settings, changed in place
   * @return the client settings for the topic-creating admin client: {@code bootstrap.servers} and
   *     the command-config properties
   * @throws IOException when the command-config file cannot be read
   * @throws IllegalArgumentException on an unknown argument
   */
  static Map<String, Object> configure(String[] args, Properties config) throws IOException {
    String bootstrap = null;
    Properties commandConfig = new Properties();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--bootstrap-servers") && i + 1 < args.length) {
        bootstrap = args[++i];
      } else if (args[i].equals("--command-config") && i + 1 < args.length) {
        try (Reader in = Files.newBufferedReader(Path.of(args[++i]), StandardCharsets.UTF_8)) {
          commandConfig.load(in);
        }
      } else if (args[i].equals("--state-dir") && i + 1 < args.length) {
        config.put(WeirConfig.STATE_DIR_CONFIG, args[++i]);
      } else {
        throw new IllegalArgumentException(
            "Unknown argument "
                + args[i]
                + "; usage: [--bootstrap-servers host:port] [--command-config client.properties]"
                + " [--state-dir directory]");
      }
    }
    Map<String, Object> client = new HashMap<>();
    commandConfig.forEach((k, v) -> client.put(k.toString(), v));
    if (bootstrap != null) {
      client.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }
    client.putIfAbsent(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    config.putAll(client);
    return client;
  }

  private static void createMissingTopics(Map<String, Object> client, String... topics)
      throws Exception {
    try (Admin admin = Admin.create(client)) {
      List<NewTopic> create = new ArrayList<>();
      for (String topic : topics) {
        create.add(new NewTopic(topic, Optional.empty(), Optional.empty()));
      }
      for (var result : admin.createTopics(create).values().entrySet()) {
        try {
          result.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }
}
