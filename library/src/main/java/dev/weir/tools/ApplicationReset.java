package dev.weir.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Resets a Weir application so that it processes its input again from a chosen position, as Kafka's
 * {@code kafka-streams-application-reset} does for Kafka Streams. For one {@code application.id} it
 *
 * <ol>
 *   <li>refuses to run while the application's consumer group has active members;
 *   <li>sets the group's committed offsets of the input topics to the chosen position (earliest,
 *       latest, a timestamp, or a duration before now);
 *   <li>deletes the group's committed offsets of the internal topics and the internal topics
 *       themselves ({@code <application.id>-*-changelog}, {@code <application.id>-*-repartition});
 *       the next start creates them empty;
 *   <li>optionally deletes local state under a {@code state.dir} of this machine (run it, or call
 *       {@code WeirApplication.cleanUp()}, on every machine that ran an instance).
 * </ol>
 *
 * <pre>
 * java -cp weir.jar:... dev.weir.tools.ApplicationReset --bootstrap-servers kafka:9092 \
 *     --application-id orders-enricher [--input-topics orders,customers] \
 *     [--to-earliest | --to-latest | --to-datetime 2026-12-01T00:00:00Z | --by-duration PT6H] \
 *     [--state-dir /var/lib/orders] [--command-config admin.properties] [--dry-run]
 * </pre>
 *
 * <p>Without {@code --input-topics} the input topics are the non-internal topics the group has
 * committed offsets for. Not thread-safe; one reset at a time per application.
 */
public final class ApplicationReset {
  private final Admin admin;
  private final PrintStream out;
  private final Clock clock;

  /**
   * Creates a reset tool over an admin client.
   *
   * @param admin the admin client of the cluster; not closed here; not null
   * @param out where progress is printed; not null
   * @param clock the clock {@code --by-duration} counts back from; not null
   */
  public ApplicationReset(Admin admin, PrintStream out, Clock clock) {
    this.admin = admin;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Runs the tool and exits: status 0 on success, 1 on an error (printed), 2 on bad arguments.
   *
   * @param args the command line; {@code --help} prints the usage
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the tool with a command line.
   *
   * @param args the command line
   * @param out progress; not null
   * @param err errors and usage; not null
   * @return the exit status: 0 success, 1 error, 2 bad arguments
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    ResetOptions options;
    try {
      options = ResetOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(ResetOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(ResetOptions.USAGE);
      return 0;
    }
    Map<String, Object> config = new HashMap<>();
    try {
      if (options.commandConfig() != null) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(options.commandConfig())) {
          p.load(in);
        }
        p.forEach((k, v) -> config.put(k.toString(), v));
      }
    } catch (IOException e) {
      err.println("error: cannot read --command-config " + options.commandConfig() + ": " + e);
      return 1;
    }
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      new ApplicationReset(admin, out, Clock.systemUTC()).reset(options);
      return 0;
    } catch (ResetException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** A reset that cannot go on; the message says why and what to do. */
  public static final class ResetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResetException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Resets the application.
   *
   * @param o the options
   * @throws ResetException when the group has active members, a topic is missing, or a request
   *     fails
   */
  public void reset(ResetOptions o) {
    String group = o.applicationId();
    try {
      ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      if (d != null && !d.members().isEmpty()) {
        List<String> clients = d.members().stream().map(m -> m.clientId()).sorted().toList();
        throw new ResetException(
            "Application "
                + group
                + " has "
                + clients.size()
                + " active members ("
                + String.join(", ", clients)
                + "). Stop every instance first; a reset while it runs would be overwritten by"
                + " its next commit.",
            null);
      }
      Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(group);
      Set<String> allTopics = admin.listTopics().names().get();
      Set<String> internal = new TreeSet<>();
      for (String t : allTopics) {
        if (t.startsWith(group + "-") && (t.endsWith("-changelog") || t.endsWith("-repartition"))) {
          internal.add(t);
        }
      }
      Set<String> inputs = new TreeSet<>(o.inputTopics());
      if (inputs.isEmpty()) {
        committed.keySet().stream()
            .map(TopicPartition::topic)
            .filter(t -> !internal.contains(t) && allTopics.contains(t))
            .forEach(inputs::add);
      }
      for (String t : inputs) {
        if (!allTopics.contains(t)) {
          throw new ResetException(
              "Input topic " + t + " does not exist. Fix --input-topics.", null);
        }
      }
      out.println("Application " + group + (o.dryRun() ? " (dry run)" : ""));
      resetInputs(group, inputs, o);
      deleteInternal(group, internal, committed, o.dryRun());
      if (o.stateDir() != null) {
        LocalState.delete(o.stateDir().resolve(group), o.dryRun(), out);
      }
      out.println("Done.");
    } catch (ExecutionException e) {
      throw new ResetException(
          "A request to the cluster failed: "
              + e.getCause()
              + ". Check the connection settings (--command-config) and the tool's ACLs:"
              + " Describe and Delete on the group, Describe and Delete on the internal topics.",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResetException("Interrupted", e);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group)
      throws InterruptedException, ExecutionException {
    try {
      Map<TopicPartition, OffsetAndMetadata> m =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
      m.forEach(
          (tp, om) -> {
            if (om != null) {
              out.put(tp, om);
            }
          });
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Map.of();
      }
      throw e;
    }
  }

  private void resetInputs(String group, Set<String> inputs, ResetOptions o)
      throws InterruptedException, ExecutionException {
    if (inputs.isEmpty()) {
      out.println("No input topics (none given, none committed): offsets unchanged.");
      return;
    }
    Map<String, TopicDescription> described = admin.describeTopics(inputs).allTopicNames().get();
    OffsetSpec spec = o.position().spec(clock);
    Map<TopicPartition, OffsetSpec> query = new HashMap<>();
    described.forEach(
        (t, d) ->
            d.partitions().forEach(p -> query.put(new TopicPartition(t, p.partition()), spec)));
    Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(query).all().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    found.forEach(
        (tp, info) -> {
          if (info.offset() < 0) {
            latest.put(tp, OffsetSpec.latest()); // no record at or after the timestamp
          }
        });
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        latest.isEmpty() ? Map.of() : admin.listOffsets(latest).all().get();
    Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
    found.forEach(
        (tp, info) ->
            target.put(
                tp,
                new OffsetAndMetadata(info.offset() < 0 ? ends.get(tp).offset() : info.offset())));
    for (TopicPartition tp : sorted(target.keySet())) {
      out.println(
          "  input " + tp + " -> offset " + target.get(tp).offset() + " (" + o.position() + ")");
    }
    if (!o.dryRun()) {
      admin.alterConsumerGroupOffsets(group, target).all().get();
    }
  }

  private void deleteInternal(
      String group,
      Set<String> internal,
      Map<TopicPartition, OffsetAndMetadata> committed,
      boolean dryRun)
      throws InterruptedException, ExecutionException {
    Set<TopicPartition> internalOffsets = new java.util.HashSet<>();
    committed.keySet().stream()
        .filter(tp -> internal.contains(tp.topic()))
        .forEach(internalOffsets::add);
    for (String t : internal) {
      out.println("  delete internal topic " + t);
    }
    if (dryRun) {
      return;
    }
    if (!internalOffsets.isEmpty()) {
      // Offsets of a deleted repartition topic would point past the end of the new, empty one.
      admin.deleteConsumerGroupOffsets(group, internalOffsets).all().get();
    }
    if (!internal.isEmpty()) {
      admin.deleteTopics(internal).all().get();
      awaitGone(internal);
    }
  }

  /** Where the input topics restart. */
  public sealed interface Position {
    /**
     * The offset query for this position.
     *
     * @param clock the current time, for durations
     * @return the spec
     */
    OffsetSpec spec(Clock clock);

    /** The first record still in each partition. */
    record Earliest() implements Position {
      @Override
      public OffsetSpec spec(Clock clock) {
        return OffsetSpec.earliest();
      }

      @Override
      public String toString() {
        return "earliest";
      }
    }

    /** The end of each partition: only new records are processed. */
    record Latest() implements Position {
      @Override
      public OffsetSpec spec(Clock clock) {
        return OffsetSpec.latest();
      }

      @Override
      public String toString() {
        return "latest";
      }
    }

    /**
     * The first record with a timestamp at or after {@code time} (the end when there is none).
     *
     * @param time the time
     */
    record At(Instant time) implements Position {
      @Override
      public OffsetSpec spec(Clock clock) {
        return OffsetSpec.forTimestamp(time.toEpochMilli());
      }

      @Override
      public String toString() {
        return "at " + time;
      }
    }

    /**
     * The first record with a timestamp at or after now minus {@code duration}.
     *
     * @param duration how far back
     */
    record Before(Duration duration) implements Position {
      @Override
      public OffsetSpec spec(Clock clock) {
        return OffsetSpec.forTimestamp(clock.millis() - duration.toMillis());
      }

      @Override
      public String toString() {
        return duration + " before now";
      }
    }
  }

  /**
   * Waits until the brokers no longer list the deleted topics, so that an application started right
   * after the tool creates them afresh instead of finding them still marked for deletion.
   */
  private void awaitGone(Set<String> topics) throws InterruptedException, ExecutionException {
    long deadline = clock.millis() + 60_000;
    while (true) {
      Set<String> left = new TreeSet<>(admin.listTopics().names().get());
      left.retainAll(topics);
      if (left.isEmpty()) {
        return;
      }
      if (clock.millis() > deadline) {
        throw new ResetException(
            "Internal topics " + left + " were still listed a minute after their deletion.", null);
      }
      Thread.sleep(100);
    }
  }

  private static List<TopicPartition> sorted(Set<TopicPartition> partitions) {
    List<TopicPartition> l = new ArrayList<>(partitions);
    l.sort(
        java.util.Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition));
    return l;
  }
}
