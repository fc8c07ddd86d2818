package dev.weir.errors;

/**
 * Headers Weir adds to a record it writes to the dead-letter topic. The record keeps the original
 * key and value bytes and the original headers; these say where it came from and why it failed.
 */
public final class DeadLetterHeaders {
  /** The topic the record was read from. */
  public static final String TOPIC = "weir.dlq.topic";

  /** The partition it was read from (decimal text). */
  public static final String PARTITION = "weir.dlq.partition";

  /** Its offset (decimal text). */
  public static final String OFFSET = "weir.dlq.offset";

  /** The operator or source that failed. */
  public static final String OPERATOR = "weir.dlq.operator";

  /** {@code deserialization} or {@code processing}. */
  public static final String STAGE = "weir.dlq.stage";

  /** The exception's class name. */
  public static final String EXCEPTION_CLASS = "weir.dlq.exception.class";

  /** The exception's message. */
  public static final String EXCEPTION_MESSAGE = "weir.dlq.exception.message";

  /** The exception's stack trace. */
  public static final String STACKTRACE = "weir.dlq.exception.stacktrace";

  private DeadLetterHeaders() {}
}
