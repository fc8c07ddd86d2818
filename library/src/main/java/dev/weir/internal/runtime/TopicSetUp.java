package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.ErrorHandling;
import dev.weir.internal.task.StaleStateGuard;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.kafka.clients.admin.Admin;

/**
 * The start-up's topic set-up, on a thread of its own (design record 025): checks the user topics,
 * creates or checks the internal ones ({@link InternalTopics}) and builds the stale-state guard
 * from the changelogs' {@code delete.retention.ms}, while the starting thread does the work that
 * needs no topic. Its admin client is closed when it ends, whatever the outcome.
 */
final class TopicSetUp {
  /** What the set-up found: the task count of each sub-topology, the stale-state guard. */
  record Result(Map<Integer, Integer> taskCounts, StaleStateGuard staleStateGuard) {}

  private final FutureTask<Result> task;

  private TopicSetUp(FutureTask<Result> task) {
    this.task = task;
  }

  /**
   * Starts the set-up on a daemon thread named after the application.
   *
   * @param probe the runtime set-up before any topic is known, for the admin client's and the
   *     producers' settings
   */
  static TopicSetUp start(
      Settings config, Plan plan, KafkaClients clients, RuntimeSetup probe, ErrorHandling errors) {
    FutureTask<Result> task = new FutureTask<>(() -> run(config, plan, clients, probe, errors));
    Thread thread = new Thread(task, plan.applicationId() + "-topic-setup");
    thread.setDaemon(true);
    thread.start();
    return new TopicSetUp(task);
  }

  private static Result run(
      Settings config, Plan plan, KafkaClients clients, RuntimeSetup probe, ErrorHandling errors) {
    try (Admin admin = clients.admin(probe.adminConfig())) {
      InternalTopics topics =
          new InternalTopics(
              admin,
              plan,
              config.getInt(ConfigKeys.REPLICATION_FACTOR_CONFIG),
              TopicSettings.of(config));
      Map<Integer, Integer> taskCounts =
          topics.setUp(
              errors.usesDeadLetterTopic() || ProductionErrors.mayDeadLetter(config)
                  ? List.of(errors.deadLetterTopic())
                  : List.of());
      return new Result(
          taskCounts,
          StaleStateGuard.create(
              topics.changelogDeleteRetentionMs(),
              config.exactlyOnce(),
              probe.transactionTimeoutMs()));
    }
  }

  /**
   * Waits for the set-up and returns its result. Its failure is rethrown as it was thrown (an
   * unchecked exception or error), so that the caller sees the same exception as if the set-up had
   * run on its thread. An interrupt does not end the wait (the set-up's admin calls have timeouts)
   * but is restored afterwards.
   */
  Result await() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new WeirException("Setting up the topics failed", cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
