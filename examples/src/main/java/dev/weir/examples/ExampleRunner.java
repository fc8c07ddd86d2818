package dev.weir.examples;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.stream.Topology;
import java.util.ArrayList;
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
 * localhost:9092}) and {@code [--state-dir directory]} (each instance on a machine needs its own).
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
    String bootstrap = "localhost:9092";
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--bootstrap-servers") && i + 1 < args.length) {
        bootstrap = args[++i];
      } else if (args[i].equals("--state-dir") && i + 1 < args.length) {
        config.put(WeirConfig.STATE_DIR_CONFIG, args[++i]);
      } else {
        throw new IllegalArgumentException(
            "Unknown argument "
                + args[i]
                + "; usage: [--bootstrap-servers host:port] [--state-dir directory]");
      }
    }
    config.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    createMissingTopics(bootstrap, topics);
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

  private static void createMissingTopics(String bootstrap, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
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
