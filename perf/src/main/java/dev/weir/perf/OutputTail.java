package dev.weir.perf;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a contender's output topic from the beginning with {@code read_committed} while the
 * contender runs, feeding every record to an {@link OutputChecker}. It notes when the last expected
 * output became visible, with the contender's CPU time and peak memory then, and the latency of
 * each probe (time seen minus time sent).
 *
 * <p>So "done" means: every expected output is visible to a downstream {@code read_committed}
 * consumer. The check costs the harness some CPU on the same machine while contenders run; it is
 * the same for every contender.
 */
final class OutputTail implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final OutputChecker checker;
  private final long pid;
  private final LongSupplier brokerCpu;
  private final AtomicLongArray probeSentNanos;
  private final long[] probeLatencyNanos;
  private final Thread thread;
  private final CountDownLatch completed = new CountDownLatch(1);
  private final CountDownLatch drained = new CountDownLatch(1);

  private volatile boolean stop;
  private boolean started;
  private volatile Map<TopicPartition, Long> drainTo;
  private volatile Throwable failure;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile long probesSeen;

  /** Wall-clock time when the last expected output became visible (0 before). */
  volatile long doneEpochMs;

  /** Wall-clock time of the latest output record. */
  volatile long lastOutputEpochMs;

  /** The contender's CPU time (ns), the broker's, and the contender's peak RSS, at done. */
  volatile long cpuAtDone = -1;

  /**
   * The part of {@link #cpuAtDone} its JIT compiler threads used ({@link ProcStats#jitCpuNanos}).
   */
  volatile long jitCpuAtDone = -1;

  volatile long brokerCpuAtDone = -1;
  volatile long rssAtDone = -1;

  OutputTail(
      String bootstrap,
      String topic,
      OutputChecker checker,
      long pid,
      LongSupplier brokerCpu,
      AtomicLongArray probeSentNanos) {
    this.checker = checker;
    this.pid = pid;
    this.brokerCpu = brokerCpu;
    this.probeSentNanos = probeSentNanos;
    this.probeLatencyNanos = new long[probeSentNanos.length()];
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 << 20);
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    thread = new Thread(this::run, "output-tail-" + topic);
    thread.setDaemon(true);
  }

  void start() {
    started = true;
    thread.start();
  }

  private void run() {
    try {
      while (!stop) {
        var records = consumer.poll(Duration.ofMillis(50));
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          long probe = checker.accept(r.key(), r.value());
          if (probe >= 0) {
            if (probe < probeLatencyNanos.length && probeLatencyNanos[(int) probe] == 0) {
              probeLatencyNanos[(int) probe] = Math.max(1, now - probeSentNanos.get((int) probe));
              probesSeen++;
            }
          }
        }
        if (!records.isEmpty()) {
          lastProgressNanos = now;
          lastOutputEpochMs = System.currentTimeMillis();
        }
        if (doneEpochMs == 0 && checker.complete()) {
          doneEpochMs = System.currentTimeMillis();
          sample();
          completed.countDown();
        }
        Map<TopicPartition, Long> target = drainTo;
        if (target != null && reached(target)) {
          drained.countDown();
          return;
        }
      }
    } catch (Throwable t) {
      failure = t;
      completed.countDown();
      drained.countDown();
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** Counts as progress for the stall and quiet timers (the contender consumed input). */
  void touch() {
    lastProgressNanos = System.nanoTime();
  }

  private void sample() {
    cpuAtDone = ProcStats.cpuNanos(pid);
    jitCpuAtDone = ProcStats.jitCpuNanos(pid);
    brokerCpuAtDone = brokerCpu.getAsLong();
    rssAtDone = ProcStats.peakRssBytes(pid);
  }

  private boolean reached(Map<TopicPartition, Long> target) {
    for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until every expected output was seen, or the contender has evidently finished without
   * producing them all.
   *
   * @param stall fail when no output arrived for this long
   * @param quiet after this long without output, ask {@code inputConsumed}
   * @param problem called every 100 ms: why the contender cannot finish (it died or reported a
   *     failure), or null while it runs
   * @param inputConsumed whether the contender has committed all of its input
   * @return true when every expected output was seen; false when the output stayed quiet after the
   *     input was consumed (the verdict will say what is missing)
   * @throws RunFailure when the output stalls, the contender fails, or the tail fails
   */
  boolean awaitComplete(
      Duration stall, Duration quiet, Supplier<String> problem, BooleanSupplier inputConsumed)
      throws InterruptedException {
    while (!completed.await(100, TimeUnit.MILLISECONDS)) {
      String p = problem.get();
      if (p != null) {
        throw new RunFailure(p + " (" + checker.seen() + " of " + checker.expected() + " outputs)");
      }
      long silent = System.nanoTime() - lastProgressNanos;
      if (silent > stall.toNanos()) {
        throw new RunFailure(
            "no new output for "
                + stall.toSeconds()
                + " s; "
                + checker.seen()
                + " of "
                + checker.expected()
                + " expected outputs seen");
      }
      if (silent > quiet.toNanos() && inputConsumed.getAsBoolean()) {
        sample();
        return false;
      }
    }
    if (failure != null) {
      throw new RunFailure("reading the output failed: " + failure, failure);
    }
    return true;
  }

  /** Waits until {@code count} probes were seen; false on timeout. */
  boolean awaitProbes(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (probesSeen < count && failure == null) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10); // the tail thread counts probes; sample its counter
    }
    return failure == null;
  }

  /** Reads on until the given end offsets, so that late duplicates are seen too. */
  void drain(Map<TopicPartition, Long> endOffsets, Duration timeout) throws InterruptedException {
    drainTo = endOffsets;
    if (!drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new RunFailure("reading the output to its end took over " + timeout.toSeconds() + " s");
    }
    if (failure != null) {
      throw new RunFailure("reading the output failed: " + failure, failure);
    }
  }

  /** Latencies of the probes seen, in nanoseconds (unsorted). */
  long[] probeLatencies() {
    return java.util.Arrays.stream(probeLatencyNanos).filter(l -> l > 0).toArray();
  }

  @Override
  public void close() {
    stop = true;
    if (started) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }
}
