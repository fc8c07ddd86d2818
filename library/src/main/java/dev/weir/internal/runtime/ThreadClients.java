package dev.weir.internal.runtime;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients of one stream thread besides its producer: the group consumer, and the restore
 * consumer and admin client, created when first needed. Owned by the stream thread; {@link #wakeup}
 * may be called from any thread.
 */
final class ThreadClients {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadClients.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final RuntimeSetup setup;
  private final int index;
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile Consumer<byte[], byte[]> restoreConsumer;
  private volatile Consumer<byte[], byte[]> standbyConsumer;
  private Admin admin;

  ThreadClients(RuntimeSetup setup, int index) {
    this.setup = setup;
    this.index = index;
  }

  /** Creates the group consumer with Weir's assignor bound to {@code assignor}. */
  Consumer<byte[], byte[]> createConsumer(AssignorContext assignor) {
    java.util.Map<String, Object> cc = setup.consumerConfig(index);
    cc.put(AssignorContext.CONFIG_KEY, assignor);
    consumer = setup.clients().consumer(cc);
    return consumer;
  }

  Consumer<byte[], byte[]> consumer() {
    return consumer;
  }

  /** The index of the stream thread in its instance. */
  int index() {
    return index;
  }

  /** The consumer of changelog restores, created at the first restore. */
  Consumer<byte[], byte[]> restoreConsumer() {
    if (restoreConsumer == null) {
      restoreConsumer = setup.clients().consumer(setup.restoreConsumerConfig(index));
    }
    return restoreConsumer;
  }

  /** The consumer of standby replicas' changelogs, created at the first standby. */
  Consumer<byte[], byte[]> standbyConsumer() {
    if (standbyConsumer == null) {
      standbyConsumer = setup.clients().consumer(setup.standbyConsumerConfig(index));
    }
    return standbyConsumer;
  }

  /** The admin client (open-transaction checks, repartition purges), created at first use. */
  Admin admin() {
    if (admin == null) {
      admin = setup.clients().admin(setup.adminConfig());
    }
    return admin;
  }

  /** Interrupts a blocking call of either consumer; safe from any thread. */
  void wakeup() {
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Consumer<byte[], byte[]> r = restoreConsumer;
    if (r != null) {
      r.wakeup();
    }
    Consumer<byte[], byte[]> s = standbyConsumer;
    if (s != null) {
      s.wakeup();
    }
  }

  /** Closes the admin client and the consumers; never throws, so that each gets closed. */
  void close(String thread) {
    if (admin != null) {
      closeQuietly(() -> admin.close(CLOSE_TIMEOUT), thread, "admin client");
    }
    Consumer<byte[], byte[]> r = restoreConsumer;
    if (r != null) {
      closeQuietly(() -> r.close(CloseOptions.timeout(CLOSE_TIMEOUT)), thread, "restore consumer");
    }
    Consumer<byte[], byte[]> s = standbyConsumer;
    if (s != null) {
      closeQuietly(() -> s.close(CloseOptions.timeout(CLOSE_TIMEOUT)), thread, "standby consumer");
    }
  }

  /** Closes the group consumer last: its close leaves the group. Never throws. */
  void closeConsumer(String thread) {
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      closeQuietly(() -> c.close(CloseOptions.timeout(CLOSE_TIMEOUT)), thread, "consumer");
    }
  }

  static void closeQuietly(Runnable close, String thread, String what) {
    try {
      close.run();
    } catch (Throwable t) { // a failed close must not keep the other clients open
      LOG.warn("{}: closing the {} failed", thread, what, t);
    }
  }
}
