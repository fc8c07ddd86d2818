package dev.weir.internal.runtime;

import dev.weir.errors.DeadLetterHeaders;
import dev.weir.errors.ProductionExceptionHandler;
import dev.weir.errors.ProductionExceptionHandler.Response;
import dev.weir.errors.WeirException;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.task.TaskMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code errors.production.handler}: what happens to an output record that cannot be written. A
 * record over the producer's size limit is caught before it reaches the producer, so that under
 * exactly-once the open transaction stays healthy and "skip" means the other records of the
 * transaction still commit. A record the broker rejects has failed the transaction already; under
 * exactly-once that fails the thread with an error naming the topic instead of rolling back and
 * retrying the same record forever.
 */
final class ProductionErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ProductionErrors.class);

  /** Kafka's record batch header (magic v2). */
  private static final int BATCH_OVERHEAD = 61;

  /** A record's fixed fields at their largest varint sizes (magic v2). */
  private static final int RECORD_OVERHEAD = 21;

  private final String thread;
  private final ProductionExceptionHandler handler;
  private final String handlerName;
  private final String deadLetterTopic;
  private final boolean exactlyOnce;
  private final int maxRecordBytes;
  private final TaskMetrics metrics;

  ProductionErrors(
      String thread,
      Settings config,
      Map<String, Object> producerConfig,
      ProductionExceptionHandler handler,
      TaskMetrics metrics) {
    this.thread = thread;
    this.handler = handler;
    this.handlerName = config.getString(ConfigKeys.PRODUCTION_HANDLER_CONFIG);
    this.deadLetterTopic = config.deadLetterTopic();
    this.exactlyOnce = config.exactlyOnce();
    long maxRequest = number(producerConfig, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20);
    long buffer = number(producerConfig, ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20);
    this.maxRecordBytes = (int) Math.min(maxRequest, buffer);
    this.metrics = metrics;
  }

  /** The handler {@code errors.production.handler} names: built in, or a class. */
  static ProductionExceptionHandler handler(Settings config) {
    String v = config.getString(ConfigKeys.PRODUCTION_HANDLER_CONFIG);
    return switch (v) {
      case ConfigKeys.HANDLER_FAIL -> (t, k, val, e) -> Response.FAIL;
      case ConfigKeys.HANDLER_LOG_AND_SKIP -> (t, k, val, e) -> Response.SKIP;
      case ConfigKeys.HANDLER_DEAD_LETTER -> (t, k, val, e) -> Response.DEAD_LETTER;
      default -> instantiate(v);
    };
  }

  /** Whether the dead-letter topic may be written (created at start when missing). */
  static boolean mayDeadLetter(Settings config) {
    return !ConfigKeys.HANDLER_FAIL.equals(config.getString(ConfigKeys.PRODUCTION_HANDLER_CONFIG))
        && !ConfigKeys.HANDLER_LOG_AND_SKIP.equals(
            config.getString(ConfigKeys.PRODUCTION_HANDLER_CONFIG));
  }

  private static ProductionExceptionHandler instantiate(String className) {
    String key = ConfigKeys.PRODUCTION_HANDLER_CONFIG;
    Class<?> c;
    try {
      c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(
          "Configuration '"
              + key
              + "="
              + className
              + "': neither fail, log_and_skip, dead_letter nor a class on the classpath. Use"
              + " one of the three, or the full name of a class implementing "
              + ProductionExceptionHandler.class.getName()
              + ".");
    }
    if (!ProductionExceptionHandler.class.isAssignableFrom(c)) {
      throw new ConfigException(
          "Configuration '"
              + key
              + "': "
              + className
              + " does not implement "
              + ProductionExceptionHandler.class.getName()
              + ". Implement it, or name a class that does.");
    }
    try {
      return (ProductionExceptionHandler) c.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(
          "Configuration '"
              + key
              + "': cannot create "
              + className
              + " ("
              + e
              + "). Give it a public no-argument constructor.");
    }
  }

  /**
   * Checks a record's size before it is sent.
   *
   * @return null when it may be sent; else the dead-letter record to send instead (a record with
   *     {@code topic} null means: skip, nothing to send)
   * @throws WeirException when the handler says fail
   */
  DeadLetter beforeSend(String topic, byte[] key, byte[] value, Headers headers) {
    int size = sizeUpperBound(key, value, headers);
    if (size <= maxRecordBytes) {
      return null;
    }
    RecordTooLargeException e =
        new RecordTooLargeException(
            "The record is "
                + size
                + " bytes (at most, serialized), more than the producer's limit of "
                + maxRecordBytes
                + " bytes (max.request.size, buffer.memory)");
    return decide(topic, key, value, e, true);
  }

  /**
   * Handles a send the broker (or the producer, after the send) failed.
   *
   * @return null when it is not a record's fault (the commit path's rollback handles it), else what
   *     to do; under exactly-once always a failure
   */
  Outcome afterSend(String topic, byte[] key, byte[] value, Exception e) {
    if (!(e instanceof RecordTooLargeException
        || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidRecordException)) {
      return null;
    }
    if (exactlyOnce) {
      return new Outcome(
          new WeirException(
              thread
                  + ": a record for topic "
                  + topic
                  + " was rejected: "
                  + e
                  + ". Under exactly_once a rejected record fails its whole transaction, so it"
                  + " cannot be skipped; raise the topic's max.message.bytes (and"
                  + " producer.max.request.size), or make the record smaller. Records over"
                  + " max.request.size are caught before sending and follow "
                  + ConfigKeys.PRODUCTION_HANDLER_CONFIG
                  + ".",
              e),
          null);
    }
    try {
      return new Outcome(null, decide(topic, key, value, e, false));
    } catch (WeirException failed) {
      return new Outcome(failed, null);
    }
  }

  /** The result of {@link #afterSend}: a failure to raise at the commit, or a dead letter. */
  record Outcome(WeirException failure, DeadLetter deadLetter) {}

  /** A record for the dead-letter topic; {@code topic} null when the record is only skipped. */
  record DeadLetter(String topic, byte[] key, byte[] value, Headers headers) {}

  private DeadLetter decide(String topic, byte[] key, byte[] value, Exception e, boolean tooLarge) {
    Response r;
    try {
      r = handler.handle(topic, key, value, e);
    } catch (RuntimeException thrown) {
      thrown.addSuppressed(e);
      throw new WeirException(
          thread + ": the production exception handler threw " + thrown, thrown);
    }
    if (r == null || r == Response.FAIL) {
      throw new WeirException(
          thread
              + ": a record for topic "
              + topic
              + " cannot be written: "
              + e
              + ". "
              + ConfigKeys.PRODUCTION_HANDLER_CONFIG
              + "="
              + handlerName
              + " stops here. Make the record smaller, raise producer.max.request.size (and the"
              + " topic's max.message.bytes), or set "
              + ConfigKeys.PRODUCTION_HANDLER_CONFIG
              + "=log_and_skip (count and drop such records) or dead_letter (send them to '"
              + deadLetterTopic
              + "').",
          e);
    }
    if (r == Response.SKIP) {
      metrics.productionErrorsSkipped.increment();
      LOG.warn("{}: skipped a record for topic {}: {}", thread, topic, e.toString());
      return new DeadLetter(null, null, null, null);
    }
    metrics.productionErrorsDeadLettered.increment();
    LOG.warn(
        "{}: a record for topic {} failed ({}); wrote it to dead-letter topic {}",
        thread,
        topic,
        e,
        deadLetterTopic);
    RecordHeaders h = new RecordHeaders();
    h.add(DeadLetterHeaders.TOPIC, utf8(topic));
    h.add(DeadLetterHeaders.STAGE, utf8("production"));
    h.add(DeadLetterHeaders.EXCEPTION_CLASS, utf8(e.getClass().getName()));
    h.add(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8(String.valueOf(e.getMessage())));
    // A value that was too large would be too large for the dead-letter topic as well.
    return new DeadLetter(deadLetterTopic, key, tooLarge ? null : value, h);
  }

  /**
   * The largest size the record can take in a produce request, computed as the Kafka producer does
   * for its size check (record batch format v2): the batch header, a record's fixed fields at their
   * largest, and each length-prefixed field.
   */
  static int sizeUpperBound(byte[] key, byte[] value, Headers headers) {
    int size = BATCH_OVERHEAD + RECORD_OVERHEAD + lengthPrefixed(key) + lengthPrefixed(value);
    if (headers == null) {
      // Checked for every record sent: no empty array, which the JIT cannot drop where it merges
      // with the headers' own.
      return size + varintSize(0);
    }
    Header[] hs = headers.toArray();
    size += varintSize(hs.length);
    for (Header h : hs) {
      size += lengthPrefixed(h.key().getBytes(StandardCharsets.UTF_8)) + lengthPrefixed(h.value());
    }
    return size;
  }

  private static int lengthPrefixed(byte[] b) {
    return b == null ? varintSize(-1) : varintSize(b.length) + b.length;
  }

  private static int varintSize(int value) {
    int v = (value << 1) ^ (value >> 31);
    // One byte per started group of 7 bits, at least one; without a loop, as this runs three times
    // for every record sent.
    return (31 - Integer.numberOfLeadingZeros(v | 1)) / 7 + 1;
  }

  private static long number(Map<String, Object> config, String key, long fallback) {
    Object v = config.get(key);
    return v == null ? fallback : Long.parseLong(v.toString().trim());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
