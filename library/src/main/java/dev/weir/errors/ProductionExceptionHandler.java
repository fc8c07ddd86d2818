package dev.weir.errors;

/**
 * Decides what happens to an output record the producer cannot write: too large for the producer's
 * {@code max.request.size}, or rejected by the broker (too large for the topic's {@code
 * max.message.bytes}, an invalid record, ...). Weir's counterpart of Kafka Streams' {@code
 * ProductionExceptionHandler}. Configure it with {@code errors.production.handler}: {@code fail}
 * (default), {@code log_and_skip}, {@code dead_letter}, or the name of a class implementing this
 * interface with a public no-argument constructor.
 *
 * <p>Under exactly-once, skipping is possible only for a record the producer refuses before it is
 * sent (Weir checks the size against {@code max.request.size} first): the other records of the
 * transaction still commit. A record the broker rejects has already failed the open transaction, so
 * the thread fails with an error naming the topic, whatever the handler answers. Under
 * at-least-once both kinds can be skipped or dead-lettered.
 *
 * <pre>{@code
 * public final class SkipOversized implements ProductionExceptionHandler {
 *   public Response handle(String topic, byte[] key, byte[] value, Exception error) {
 *     return error instanceof RecordTooLargeException ? Response.DEAD_LETTER : Response.FAIL;
 *   }
 * }
 * }</pre>
 *
 * <p><b>Threading.</b> One instance per application instance, called on the stream threads (for a
 * broker rejection, on the producer's I/O thread), possibly concurrently: implementations must be
 * thread-safe and return quickly.
 */
@FunctionalInterface
public interface ProductionExceptionHandler {
  /** What to do with the record. */
  enum Response {
    /** Stop the stream thread with an error naming the topic and the fix. */
    FAIL,
    /** Drop the record, log it and count it ({@code production-errors-skipped}). */
    SKIP,
    /**
     * Write the record's key and the error to the dead-letter topic ({@code
     * errors.dead.letter.topic}); the value too, unless the record was too large. Counted as {@code
     * production-errors-dead-lettered}.
     */
    DEAD_LETTER
  }

  /**
   * Decides about one record that could not be written.
   *
   * @param topic the topic it was for; not null
   * @param key its serialized key; may be null
   * @param value its serialized value; may be null
   * @param error why it could not be written, for example {@code
   *     org.apache.kafka.common.errors.RecordTooLargeException}; not null
   * @return the response; null is taken as {@link Response#FAIL}
   */
  Response handle(String topic, byte[] key, byte[] value, Exception error);
}
