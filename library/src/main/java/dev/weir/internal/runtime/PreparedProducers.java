package dev.weir.internal.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream threads' first producers, created (and under exactly-once initialized, which fences an
 * earlier incarnation of the same transactional id) on a helper thread while the instance sets up
 * its topics and opens its local state (design record 025): that work and a producer's start need
 * nothing of each other. A stream thread {@link #take takes} its producer when it starts; {@link
 * #closeUnused} closes those nobody took and stops a preparation in progress.
 */
final class PreparedProducers {
  private static final Logger LOG = LoggerFactory.getLogger(PreparedProducers.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final int count;
  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<Integer, Producer<byte[], byte[]>> ready = new HashMap<>();
  private final Map<Integer, Throwable> failed = new HashMap<>();
  private final Set<Integer> taken = new HashSet<>();
  private boolean closing;
  private Thread helper;

  private PreparedProducers(int count) {
    this.count = count;
  }

  /**
   * Starts preparing one producer per configuration, in order, on a daemon thread.
   *
   * @param clients creates the producers
   * @param configs the producer configuration of stream thread {@code i} at index {@code i}
   * @param exactlyOnce whether to initialize transactions
   * @param name the helper thread's name
   * @return the producers being prepared
   */
  static PreparedProducers start(
      KafkaClients clients, List<Map<String, Object>> configs, boolean exactlyOnce, String name) {
    PreparedProducers p = new PreparedProducers(configs.size());
    Thread t = new Thread(() -> p.prepare(clients, configs, exactlyOnce), name);
    t.setDaemon(true);
    p.helper = t;
    t.start();
    return p;
  }

  private void prepare(
      KafkaClients clients, List<Map<String, Object>> configs, boolean exactlyOnce) {
    for (int i = 0; i < configs.size(); i++) {
      synchronized (lock) {
        if (closing) {
          return;
        }
      }
      Producer<byte[], byte[]> producer;
      try {
        producer = create(clients, configs.get(i), exactlyOnce);
      } catch (RuntimeException | Error e) {
        synchronized (lock) {
          failed.put(i, e);
          lock.notifyAll();
        }
        continue;
      }
      synchronized (lock) {
        if (!closing) {
          ready.put(i, producer);
          lock.notifyAll();
          continue;
        }
      }
      closeQuietly(producer, Duration.ZERO); // the instance closed meanwhile
    }
  }

  /**
   * A new producer for {@code config}, its transactions initialized under exactly-once (which
   * fences an earlier incarnation of its transactional id); closed again if that fails.
   */
  static Producer<byte[], byte[]> create(
      KafkaClients clients, Map<String, Object> config, boolean exactlyOnce) {
    Producer<byte[], byte[]> producer = clients.producer(config);
    if (exactlyOnce) {
      try {
        producer.initTransactions();
      } catch (RuntimeException | Error e) {
        closeQuietly(producer, Duration.ZERO);
        throw e;
      }
    }
    return producer;
  }

  /**
   * Takes the prepared producer of stream thread {@code index}, waiting for its preparation.
   *
   * @param index the stream thread's index
   * @return the producer, initialized under exactly-once; null when there is none: taken already
   *     (by a thread this one replaces, say), or the instance is closing
   * @throws RuntimeException what creating or initializing it threw, as thrown (also an Error)
   * @throws InterruptException if interrupted while waiting
   */
  Producer<byte[], byte[]> take(int index) {
    Throwable failure;
    synchronized (lock) {
      if (index < 0 || index >= count || !taken.add(index)) {
        return null;
      }
      while (!closing && !ready.containsKey(index) && !failed.containsKey(index)) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptException(e); // a producer that still comes is closed with the rest
        }
      }
      if (closing) {
        return null; // whatever its preparation came to, closeUnused handles it
      }
      Producer<byte[], byte[]> producer = ready.remove(index);
      if (producer != null) {
        return producer;
      }
      failure = failed.remove(index);
    }
    if (failure instanceof Error e) {
      throw e;
    }
    throw (RuntimeException) failure;
  }

  /**
   * Closes every producer no stream thread took and stops a preparation in progress (an
   * initialization waiting for the cluster is interrupted). Waits for the helper thread for up to a
   * few seconds. Never throws.
   */
  void closeUnused() {
    List<Producer<byte[], byte[]>> left;
    synchronized (lock) {
      closing = true;
      left = new ArrayList<>(ready.values());
      ready.clear();
      lock.notifyAll();
    }
    Thread t = helper;
    if (t != null && t.isAlive()) {
      t.interrupt();
      try {
        t.join(CLOSE_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    left.forEach(p -> closeQuietly(p, CLOSE_TIMEOUT));
  }

  private static void closeQuietly(Producer<byte[], byte[]> producer, Duration timeout) {
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      LOG.warn("Closing an unused producer failed", e);
    }
  }
}
