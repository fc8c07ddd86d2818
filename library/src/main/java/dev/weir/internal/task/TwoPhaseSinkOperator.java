package dev.weir.internal.task;

import dev.weir.errors.WeirException;
import dev.weir.sink.TwoPhaseCommitSink;
import dev.weir.store.KeyValueStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one task's copy of a {@link TwoPhaseCommitSink} from the task commit (design record 011).
 *
 * <p>The operator's store holds one entry: the next transaction sequence number and the handle of
 * the last pre-committed transaction. {@link #prepareCommit()} pre-commits the open transaction and
 * writes that entry, so it reaches the changelog inside the Kafka transaction: the Kafka commit is
 * the decision. {@link #afterCommit()} commits the external transaction. The entry is not deleted
 * after the external commit but replaced by the next pre-commit: a sink whose transactions carry
 * state forward (the file sink's open part files) finds the last committed one at restore even
 * after commits without records, and committing it again is a no-op by the SPI's rules.
 *
 * <p>A pre-committed transaction is never aborted here: once its handle went into a Kafka
 * transaction, only the outcome of that transaction (read from the changelog at restore) decides
 * it, so a commit of unknown outcome cannot lose data by an abort. Only an open transaction that
 * was never pre-committed is aborted on close.
 */
final class TwoPhaseSinkOperator<T, X> extends Operator<T> {
  private static final Logger LOG = LoggerFactory.getLogger(TwoPhaseSinkOperator.class);
  private static final byte[] KEY = "two-phase-sink".getBytes(StandardCharsets.UTF_8);

  private final TwoPhaseCommitSink<T, X> sink;
  private Serializer<X> handles;
  private Deserializer<X> handleReader;
  private KeyValueStore store;
  private long nextSequence;
  private long beginning;

  /** The transaction records go into; null until the first record after a commit. */
  private X open;

  /** Pre-committed and written into the current Kafka transaction, not yet committed. */
  private X prepared;

  private boolean sinkOpened;

  private final TwoPhaseCommitSink.Context invokeContext =
      new TwoPhaseCommitSink.Context() {
        @Override
        public long timestamp() {
          return task.record().timestamp();
        }

        @Override
        public long currentWatermark() {
          return task.currentWatermark();
        }

        @Override
        public long currentProcessingTime() {
          return task.currentProcessingTime();
        }
      };

  TwoPhaseSinkOperator(String name, TwoPhaseCommitSink<T, X> sink) {
    super(name);
    this.sink = sink;
  }

  /** The factory: each task gets its own copy of the sink. */
  @SuppressWarnings("unchecked")
  static <T> OperatorFactory<T, Void> factory(TwoPhaseCommitSink<?, ?> sink) {
    return (name, out, sides) ->
        new TwoPhaseSinkOperator<>(
            name, (TwoPhaseCommitSink<T, Object>) FunctionCopier.copy(sink, name));
  }

  @Override
  protected void doOpen() throws Exception {
    if (storeName == null || task.state() == null) {
      throw new IllegalStateException("Two-phase-commit sink '" + name + "' has no store");
    }
    store = task.state().store(storeName);
    handles = sink.transactionSerde().serializer();
    handleReader = sink.transactionSerde().deserializer();
    byte[] entry = store.get(KEY);
    X committed = null;
    if (entry != null) {
      ByteBuffer b = ByteBuffer.wrap(entry);
      nextSequence = b.getLong();
      if (b.remaining() > 0) {
        byte[] h = new byte[b.remaining()];
        b.get(h);
        committed = handleReader.deserialize(storeName, h);
      }
    }
    Context context = new Context();
    sinkOpened = true;
    sink.open(context);
    List<X> known = new ArrayList<>();
    if (committed != null) {
      // The Kafka transaction that recorded it committed; the process may have died before or
      // during the external commit.
      sink.recoverAndCommit(committed);
      task.metrics().sinkRecoveredCommits.increment();
      known.add(committed);
    }
    sink.recoverAndAbort(context, Collections.unmodifiableList(known));
    LOG.debug(
        "Task {}: sink '{}' recovered (committed handle: {}, next sequence {})",
        task.taskId(),
        name,
        committed != null,
        nextSequence);
  }

  @Override
  public void process(T value) throws Exception {
    if (open == null) {
      begin();
    }
    try {
      sink.invoke(open, value, invokeContext);
    } catch (WeirException e) {
      throw e; // a failure of the external system, not of the record
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  /** Begins a transaction; a failure rolls the tasks back like a failed commit. */
  private void begin() {
    beginning = nextSequence;
    try {
      open = sink.beginTransaction();
    } catch (Exception e) {
      throw new ExternalTransactionException(
          "Task "
              + task.taskId()
              + ": two-phase-commit sink '"
              + name
              + "' could not begin a transaction: "
              + e,
          e);
    }
    if (open == null) {
      throw new WeirException(
          "Two-phase-commit sink '" + name + "': beginTransaction() returned null");
    }
    nextSequence++;
  }

  @Override
  void prepareCommit() {
    if (open == null) {
      if (!sink.wantsTransactionWithoutRecords(task.currentProcessingTime())) {
        return;
      }
      begin();
    }
    X txn = open;
    open = null;
    try {
      sink.preCommit(txn);
    } catch (Exception e) {
      abortQuietly(txn);
      throw new ExternalTransactionException(
          "Task "
              + task.taskId()
              + ": two-phase-commit sink '"
              + name
              + "' failed to pre-commit: "
              + e,
          e);
    }
    prepared = txn;
    task.metrics().sinkPreCommits.increment();
    byte[] h = handles.serialize(storeName, txn);
    store.put(KEY, ByteBuffer.allocate(8 + h.length).putLong(nextSequence).put(h).array());
  }

  @Override
  void afterCommit() {
    if (prepared == null) {
      return;
    }
    X txn = prepared;
    prepared = null;
    try {
      sink.commit(txn);
    } catch (Exception e) {
      throw new ExternalTransactionException(
          "Task "
              + task.taskId()
              + ": two-phase-commit sink '"
              + name
              + "' failed to commit a transaction after the Kafka commit recorded it: "
              + e
              + ". It stays in the task's committed state; the task is rebuilt and commits it"
              + " again on restore.",
          e);
    }
    task.metrics().sinkCommits.increment();
  }

  @Override
  public void close() throws Exception {
    if (open != null) {
      abortQuietly(open);
      open = null;
    }
    // A pre-committed transaction is left to the restore: only the Kafka outcome decides it.
    prepared = null;
    if (sinkOpened) {
      sinkOpened = false;
      sink.close();
    }
  }

  private void abortQuietly(X txn) {
    try {
      sink.abort(txn);
    } catch (Exception e) {
      LOG.warn(
          "Task {}: sink '{}' failed to abort a transaction; the next restore removes it",
          task.taskId(),
          name,
          e);
    }
  }

  /** What the sink knows about its task. */
  private final class Context implements TwoPhaseCommitSink.InitContext {
    @Override
    public String applicationId() {
      return task.applicationId();
    }

    @Override
    public String taskId() {
      return task.taskId().toString();
    }

    @Override
    public String sinkName() {
      return storeName;
    }

    @Override
    public int subtaskIndex() {
      return task.taskId().partition();
    }

    @Override
    public int numberOfParallelSubtasks() {
      return task.parallelism();
    }

    @Override
    public String transactionIdPrefix() {
      return (task.applicationId() + "-" + storeName + "-" + task.taskId())
          .replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public long transactionSequence() {
      return open == null ? nextSequence : beginning;
    }

    @Override
    public long currentProcessingTime() {
      return task.currentProcessingTime();
    }
  }
}
