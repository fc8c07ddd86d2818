package dev.weir.internal.task;

import dev.weir.errors.DeadLetterHeaders;
import dev.weir.errors.RecordProcessingException;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the configured error handlers to a record that failed: fail with a message naming the
 * operator, the position and the fix; log, count and skip; or write the original record with the
 * error to the dead-letter topic (in the same transaction as everything else).
 */
public final class ErrorHandling {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);

  /** Where a record failed. */
  public enum Stage {
    DESERIALIZATION(ConfigKeys.DESERIALIZATION_HANDLER_CONFIG),
    PROCESSING(ConfigKeys.PROCESSING_HANDLER_CONFIG);

    final String setting;

    Stage(String setting) {
      this.setting = setting;
    }
  }

  private final String deserializationPolicy;
  private final String processingPolicy;
  private final String deadLetterTopic;

  public ErrorHandling(String deserializationPolicy, String processingPolicy, String dlq) {
    this.deserializationPolicy = deserializationPolicy;
    this.processingPolicy = processingPolicy;
    this.deadLetterTopic = dlq;
  }

  public static ErrorHandling from(Settings config) {
    return new ErrorHandling(
        config.getString(ConfigKeys.DESERIALIZATION_HANDLER_CONFIG),
        config.getString(ConfigKeys.PROCESSING_HANDLER_CONFIG),
        config.deadLetterTopic());
  }

  public boolean usesDeadLetterTopic() {
    return ConfigKeys.HANDLER_DEAD_LETTER.equals(deserializationPolicy)
        || ConfigKeys.HANDLER_DEAD_LETTER.equals(processingPolicy);
  }

  public String deadLetterTopic() {
    return deadLetterTopic;
  }

  /** Handles a failure of the current record of {@code task}; throws when the policy is fail. */
  void handle(Stage stage, String operator, Throwable error, TaskContext task) {
    RecordContext r = task.record();
    String policy = stage == Stage.DESERIALIZATION ? deserializationPolicy : processingPolicy;
    if (stage == Stage.DESERIALIZATION) {
      task.metrics().deserializationErrors.increment();
    } else {
      task.metrics().processingErrors.increment();
    }
    switch (policy) {
      case ConfigKeys.HANDLER_LOG_AND_SKIP -> {
        task.metrics().skippedRecords.increment();
        LOG.warn(
            "Task {}: {} of record {} failed in '{}'; skipped it ({}={}): {}",
            task.taskId(),
            stage.name().toLowerCase(java.util.Locale.ROOT),
            r.position(),
            operator,
            stage.setting,
            policy,
            error.toString());
      }
      case ConfigKeys.HANDLER_DEAD_LETTER -> {
        task.collector()
            .send(
                deadLetterTopic,
                null,
                r.rawKey(),
                r.rawValue(),
                r.timestamp(),
                deadLetterHeaders(stage, operator, error, r));
        task.metrics().deadLettered.increment();
        LOG.warn(
            "Task {}: record {} failed in '{}' ({}); wrote it to dead-letter topic {}",
            task.taskId(),
            r.position(),
            operator,
            error.toString(),
            deadLetterTopic);
      }
      default ->
          throw new RecordProcessingException(
              operator,
              r.position(),
              String.format(
                  "Task %s: %s of record %s failed in '%s': %s. The record is not skipped and"
                      + " its offset is not committed. Fix the %s, or set %s=log_and_skip to skip"
                      + " such records (logged and counted) or =dead_letter to send them to topic"
                      + " '%s'.",
                  task.taskId(),
                  stage.name().toLowerCase(java.util.Locale.ROOT),
                  r.position(),
                  operator,
                  error,
                  stage == Stage.DESERIALIZATION ? "input data or the source's serde" : "function",
                  stage.setting,
                  deadLetterTopic),
              error);
    }
  }

  private static RecordHeaders deadLetterHeaders(
      Stage stage, String operator, Throwable error, RecordContext r) {
    RecordHeaders h = new RecordHeaders();
    if (r.headers() != null) {
      for (Header header : r.headers()) {
        h.add(header);
      }
    }
    h.add(DeadLetterHeaders.TOPIC, utf8(r.topic()));
    h.add(DeadLetterHeaders.PARTITION, utf8(Integer.toString(r.partition())));
    h.add(DeadLetterHeaders.OFFSET, utf8(Long.toString(r.offset())));
    h.add(DeadLetterHeaders.OPERATOR, utf8(operator));
    h.add(DeadLetterHeaders.STAGE, utf8(stage.name().toLowerCase(java.util.Locale.ROOT)));
    h.add(DeadLetterHeaders.EXCEPTION_CLASS, utf8(error.getClass().getName()));
    h.add(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8(String.valueOf(error.getMessage())));
    StringWriter sw = new StringWriter();
    error.printStackTrace(new PrintWriter(sw));
    String trace = sw.toString();
    h.add(
        DeadLetterHeaders.STACKTRACE,
        utf8(trace.length() > 8000 ? trace.substring(0, 8000) : trace));
    return h;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
