package dev.weir.perf.latency;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Where an output record's latency went: the application's clients are wrapped so that every record
 * sent to the output topic carries a header ({@value #HEADER}) with the wall-clock time of the
 * sending thread's latest poll that returned records, the time of the send, and which transaction
 * (producer and commit number) it went into; each producer logs when each of its {@code
 * commitTransaction()} calls started and returned. The reader then splits a record's latency into
 * input timestamp → poll, poll → send, send → commit start, the commit, and commit end → visible to
 * a read_committed reader.
 *
 * <p>The poll is the thread's latest poll before the send, which is the poll that returned the
 * record unless the application buffered it across polls (W1's pipeline does not). The wrappers
 * cost a clock read and a header (24 bytes of value) per output record, and a reflective call per
 * client call.
 */
final class Stamps {
  /** The output records' header name. */
  static final String HEADER = "weir-latency";

  private static final ThreadLocal<long[]> LAST_POLL = ThreadLocal.withInitial(() -> new long[1]);

  private final String outputTopic;
  private final CopyOnWriteArrayList<CommitLog> commits = new CopyOnWriteArrayList<>();

  /** The longest time between two polls of an application consumer that returned records. */
  final AtomicLong maxPollGapMs = new AtomicLong();

  private volatile long gapsFrom = Long.MAX_VALUE;

  Stamps(String outputTopic) {
    this.outputTopic = outputTopic;
  }

  /** Counts poll gaps from now on (after the warm-up). */
  void measureFrom(long millis) {
    gapsFrom = millis;
  }

  /** The application's producer, stamping its output records and logging its commits. */
  @SuppressWarnings("unchecked")
  Producer<byte[], byte[]> producer(Producer<byte[], byte[]> delegate) {
    CommitLog log = new CommitLog(commits.size());
    commits.add(log);
    InvocationHandler h =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("send")
              && args[0] instanceof ProducerRecord<?, ?> r
              && r.topic().equals(outputTopic)) {
            r.headers()
                .add(
                    HEADER,
                    encode(
                        LAST_POLL.get()[0], System.currentTimeMillis(), log.id, log.completed()));
          }
          if (name.equals("commitTransaction")) {
            long start = System.currentTimeMillis();
            Object result = call(method, delegate, args);
            log.add(start, System.currentTimeMillis());
            return result;
          }
          return call(method, delegate, args);
        };
    return (Producer<byte[], byte[]>)
        Proxy.newProxyInstance(Producer.class.getClassLoader(), new Class<?>[] {Producer.class}, h);
  }

  /** The application's consumer, noting on its thread when a poll returned records. */
  @SuppressWarnings("unchecked")
  Consumer<byte[], byte[]> consumer(Consumer<byte[], byte[]> delegate) {
    long[] previous = {0};
    InvocationHandler h =
        (proxy, method, args) -> {
          Object result = call(method, delegate, args);
          if (method.getName().equals("poll")
              && result instanceof ConsumerRecords<?, ?> rs
              && !rs.isEmpty()) {
            long now = System.currentTimeMillis();
            LAST_POLL.get()[0] = now;
            if (previous[0] >= gapsFrom) {
              maxPollGapMs.accumulateAndGet(now - previous[0], Math::max);
            }
            previous[0] = now;
          }
          return result;
        };
    return (Consumer<byte[], byte[]>)
        Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, h);
  }

  private static Object call(java.lang.reflect.Method m, Object target, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * The start and end of commit {@code number} of producer {@code producer}, or null if it has not
   * returned.
   */
  long[] commit(int producer, int number) {
    return producer < commits.size() ? commits.get(producer).get(number) : null;
  }

  static byte[] encode(long poll, long send, int producer, int commit) {
    return ByteBuffer.allocate(24)
        .putLong(poll)
        .putLong(send)
        .putInt(producer)
        .putInt(commit)
        .array();
  }

  /** The stamp of an output record: {@code {poll, send, producer, commit}}, or null without one. */
  static long[] decode(Header h) {
    if (h == null || h.value() == null || h.value().length != 24) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(h.value());
    return new long[] {b.getLong(), b.getLong(), b.getInt(), b.getInt()};
  }

  /** One producer's commits, in order: start and end times. */
  static final class CommitLog {
    final int id;
    private long[] times = new long[2 * 1024];
    private volatile int size;

    CommitLog(int id) {
      this.id = id;
    }

    /**
     * How many commits have returned; the next send goes into commit number {@code completed()}.
     */
    int completed() {
      return size;
    }

    synchronized void add(long start, long end) {
      if (2 * size + 2 > times.length) {
        times = Arrays.copyOf(times, 2 * times.length);
      }
      times[2 * size] = start;
      times[2 * size + 1] = end;
      size++;
    }

    synchronized long[] get(int number) {
      return number < size ? new long[] {times[2 * number], times[2 * number + 1]} : null;
    }
  }
}
