package dev.weir.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The checks of one chaos run's Kafka outputs: a {@link Verifier} of the main output and, when the
 * pipeline has them, a {@link WindowVerifier} and a {@link JoinVerifier}; one {@link OutputReader}
 * per checked topic feeds its check while the run goes on. At the end the run stops its instances,
 * then {@link #readToEnd} reads every topic to its end and {@link #verdict} compares.
 *
 * <p>Threading: the readers run on threads of their own; the rest is called by the run's thread.
 */
final class OutputVerification implements AutoCloseable {
  private final Verifier records;
  private final WindowVerifier windows;
  private final JoinVerifier joins;
  private final List<OutputReader> readers = new ArrayList<>();

  /**
   * Creates the checks for {@code kind}.
   *
   * @param base the event time the workload's offsets start from (the window results' times)
   */
  OutputVerification(Workload workload, ChaosPipeline.Kind kind, long base) {
    records = new Verifier(workload, kind);
    windows =
        kind.hasWindows()
            ? new WindowVerifier(workload, base, ChaosPipeline.WINDOW.toMillis())
            : null;
    joins = kind.hasJoin() ? new JoinVerifier(workload, ChaosPipeline.JOIN_BOUND.toMillis()) : null;
  }

  /** The check of the main output; its {@link Verifier#distinct()} is the run's progress. */
  Verifier records() {
    return records;
  }

  /** The checks that complete only after the main output: window, then join results. */
  List<OutputCheck> laterChecks() {
    List<OutputCheck> later = new ArrayList<>();
    if (windows != null) {
      later.add(windows);
    }
    if (joins != null) {
      later.add(joins);
    }
    return later;
  }

  /** What {@code check} counts, for progress messages. */
  String describe(OutputCheck check) {
    if (check == records) {
      return "records";
    }
    return check == windows ? "window results" : "join results";
  }

  /** Starts reading each checked topic from its beginning; once, before the instances start. */
  void startReading(
      String bootstrap, int partitions, String out, String windowsOut, String joinsOut) {
    readers.add(new OutputReader(bootstrap, out, partitions, records));
    if (windows != null) {
      readers.add(new OutputReader(bootstrap, windowsOut, partitions, windows));
    }
    if (joins != null) {
      readers.add(new OutputReader(bootstrap, joinsOut, partitions, joins));
    }
    readers.forEach(OutputReader::start);
  }

  /**
   * After every instance stopped: reads each checked topic up to its end, once no transaction is
   * open on it any more.
   *
   * @throws IllegalStateException when a transaction stays open or a reader does not get there
   *     within {@code timeout}
   */
  void readToEnd(Admin admin, Duration timeout) throws Exception {
    for (OutputReader reader : readers) {
      reader.finish(awaitNoOpenTransaction(admin, reader.topic(), timeout), timeout);
    }
  }

  /** Everything the readers took, compared with the expectations. */
  Verifier.Verdict verdict() {
    Verifier.Verdict verdict = records.verdict();
    for (OutputCheck check : laterChecks()) {
      verdict = verdict.plus(check.verdict());
    }
    return verdict;
  }

  /** Stops the readers; when interrupted, keeps the interrupt and waits for no further one. */
  @Override
  public void close() {
    try {
      for (OutputReader r : readers) {
        r.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the readers are daemon threads that end with the JVM
    }
  }

  /**
   * Waits until {@code topic} has no open transaction (last stable offset = high watermark on every
   * partition), so reading to the high watermark sees every committed output. A killed instance's
   * open transaction is aborted by its coordinator within the transaction timeout.
   */
  private static Map<TopicPartition, Long> awaitNoOpenTransaction(
      Admin admin, String topic, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<TopicPartition, Long> hw = endOffsets(admin, topic, IsolationLevel.READ_UNCOMMITTED);
      Map<TopicPartition, Long> lso = endOffsets(admin, topic, IsolationLevel.READ_COMMITTED);
      if (hw.equals(lso)) {
        return hw;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "transactions still open on "
                + topic
                + " after "
                + timeout
                + ": high watermarks "
                + hw
                + ", last stable offsets "
                + lso);
      }
      LockSupport.parkNanos(200_000_000L);
    }
  }

  /**
   * The end offset of every partition of {@code topic} as a reader at {@code isolation} sees it.
   */
  static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, IsolationLevel isolation)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> query = new HashMap<>();
    admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .forEach(p -> query.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
        admin.listOffsets(query, new ListOffsetsOptions(isolation)).all().get().entrySet()) {
      ends.put(e.getKey(), e.getValue().offset());
    }
    return ends;
  }
}
