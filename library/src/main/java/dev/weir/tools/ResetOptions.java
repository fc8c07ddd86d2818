package dev.weir.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link ApplicationReset} does, from its command line or built in code.
 *
 * @param bootstrapServers the brokers; not null
 * @param applicationId the application (its consumer group); not null
 * @param inputTopics the input topics to reset; empty: those the group has committed offsets for
 * @param position where the inputs restart; not null
 * @param stateDir a {@code state.dir} whose local state of the application to delete; null: none
 * @param commandConfig a properties file of admin-client settings (security); null: none
 * @param dryRun print what would be done, change nothing
 * @param help print the usage only
 */
public record ResetOptions(
    String bootstrapServers,
    String applicationId,
    List<String> inputTopics,
    ApplicationReset.Position position,
    Path stateDir,
    Path commandConfig,
    boolean dryRun,
    boolean help) {

  /** The command line's usage text. */
  public static final String USAGE =
      """
      Usage: dev.weir.tools.ApplicationReset --bootstrap-servers <host:port,...> \
      --application-id <id> [options]
        --input-topics <t1,t2>     input topics to reset (default: the topics the group has
                                   committed offsets for, internal topics excepted)
        --to-earliest              restart from the first record still there (default)
        --to-latest                skip everything written so far
        --to-datetime <instant>    restart from the first record at or after an ISO-8601 instant,
                                   e.g. 2026-12-01T00:00:00Z
        --by-duration <duration>   restart from the first record at or after now minus an
                                   ISO-8601 duration, e.g. PT6H or P1D
        --state-dir <dir>          also delete the application's local state under this state.dir
        --command-config <file>    admin-client settings (security.protocol, sasl.*, ssl.*)
        --dry-run                  print what would be done; change nothing
      Stop every instance first: the tool refuses while the group has active members.""";

  /**
   * Parses a command line.
   *
   * @param args the arguments
   * @return the options
   * @throws IllegalArgumentException naming the bad or missing argument
   */
  public static ResetOptions parse(String[] args) {
    String bootstrap = null;
    String app = null;
    List<String> inputs = new ArrayList<>();
    ApplicationReset.Position position = null;
    Path stateDir = null;
    Path commandConfig = null;
    boolean dryRun = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return new ResetOptions(
              "", "", List.of(), new ApplicationReset.Position.Earliest(), null, null, false, true);
        }
        case "--bootstrap-servers" -> bootstrap = value(args, ++i, a);
        case "--application-id" -> app = value(args, ++i, a);
        case "--input-topics" ->
            Arrays.stream(value(args, ++i, a).split(","))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .forEach(inputs::add);
        case "--to-earliest" -> position = once(position, new ApplicationReset.Position.Earliest());
        case "--to-latest" -> position = once(position, new ApplicationReset.Position.Latest());
        case "--to-datetime" -> {
          String v = value(args, ++i, a);
          try {
            position = once(position, new ApplicationReset.Position.At(Instant.parse(v)));
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                "--to-datetime " + v + " is not an ISO-8601 instant such as 2026-12-01T00:00:00Z");
          }
        }
        case "--by-duration" -> {
          String v = value(args, ++i, a);
          try {
            position = once(position, new ApplicationReset.Position.Before(Duration.parse(v)));
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                "--by-duration " + v + " is not an ISO-8601 duration such as PT6H or P1D");
          }
        }
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, a));
        case "--command-config" -> commandConfig = Path.of(value(args, ++i, a));
        case "--dry-run" -> dryRun = true;
        default -> throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (bootstrap == null) {
      throw new IllegalArgumentException("--bootstrap-servers is required");
    }
    if (app == null) {
      throw new IllegalArgumentException("--application-id is required");
    }
    return new ResetOptions(
        bootstrap,
        app,
        List.copyOf(inputs),
        position == null ? new ApplicationReset.Position.Earliest() : position,
        stateDir,
        commandConfig,
        dryRun,
        false);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static ApplicationReset.Position once(
      ApplicationReset.Position before, ApplicationReset.Position now) {
    if (before != null) {
      throw new IllegalArgumentException(
          "give one position (--to-earliest, --to-latest, --to-datetime or --by-duration), not"
              + " both "
              + before
              + " and "
              + now);
    }
    return now;
  }
}
