package dev.weir.sink;

import java.io.Serializable;
import java.util.Collection;
import org.apache.kafka.common.serialization.Serde;

/**
 * A sink that writes into an external system exactly once, by two-phase commit with the task's
 * Kafka transaction as the decision record (design record 011, {@code docs/sinks.md}). Attach it
 * with {@code DataStream.sinkTo(TwoPhaseCommitSink)}.
 *
 * <h2>Protocol</h2>
 *
 * <p>Each task owns its own copy of the sink (copied by Java serialisation, like every user
 * function: keep connections and files in transient fields created in {@link #open}). The runtime
 * calls, on the task's stream thread:
 *
 * <ol>
 *   <li>{@link #open(InitContext)}, then recovery: {@link #recoverAndCommit} for every handle found
 *       in the task's committed state, then {@link #recoverAndAbort} once with all of them;
 *   <li>{@link #beginTransaction()} before the first record after a commit (a commit interval
 *       without records begins no transaction and writes no handle);
 *   <li>{@link #invoke} for every record, into the open transaction;
 *   <li>at the task commit, {@link #preCommit} (after it the transaction must survive a crash of
 *       this process and stay invisible), then the runtime writes the handle ({@link
 *       #transactionSerde()}) into the task's changelog inside the Kafka transaction;
 *   <li>the Kafka transaction commits: from here on the external transaction <em>will</em> be
 *       committed, by {@link #commit} now or by {@link #recoverAndCommit} after a crash;
 *   <li>{@link #commit}, after every task applied its committed state. The handle stays in the
 *       task's committed state until the next pre-commit replaces it, so after a crash {@link
 *       #recoverAndCommit} commits the last handle again, already committed or not (this also lets
 *       a sink carry state such as open files from one transaction to the next): both must be
 *       idempotent;
 *   <li>{@link #abort} for a transaction that was begun but not pre-committed when the task closes
 *       or rolls back. A pre-committed transaction is never aborted by the runtime: its handle went
 *       into a Kafka transaction whose outcome may be unknown (a commit that timed out), so only
 *       the restore decides it, from the committed state: {@link #recoverAndCommit} if the Kafka
 *       transaction committed, {@link #recoverAndAbort} if not. After a crash nobody calls {@code
 *       abort} either, which is the other reason {@link #recoverAndAbort} exists;
 *   <li>{@link #close()} when the task closes, clean or dirty.
 * </ol>
 *
 * <h2>Rules for implementers</h2>
 *
 * <ul>
 *   <li>Nothing written by {@link #invoke} may be visible to readers before {@link #commit}.
 *   <li>After {@link #preCommit} returns, the transaction must be recoverable from its handle alone
 *       by another process (another instance may take the task over): {@code commit(handle)} on a
 *       fresh copy of the sink, after {@link #open}, must commit it.
 *   <li>{@link #commit} and {@link #recoverAndCommit} must be idempotent: a handle already
 *       committed commits again as a no-op, never twice and never with an error.
 *   <li>{@link #abort} may be called for a transaction that was never pre-committed, that was
 *       already aborted, or that the external system already dropped; it must not fail then.
 *   <li>The external system must keep a pre-committed transaction at least for the time between two
 *       task commits plus a recovery (a crash, a rebalance, a broker outage). If it times the
 *       transaction out and drops it, the records in it are lost: the Kafka offsets that consumed
 *       them are committed. Configure the external system's timeout generously (hours) and prefer a
 *       system that keeps prepared transactions until told (PostgreSQL's {@code PREPARE
 *       TRANSACTION}, renames of files).
 *   <li>A failure of {@link #commit} after the Kafka commit fails the task: the handle stays in
 *       committed state and the rebuilt task retries it through {@link #recoverAndCommit}; it is
 *       retried until it succeeds or the thread gives up ({@code max.commit.failures}).
 *   <li>{@link #invoke} must write a record entirely or not at all: encode first, then write. An
 *       exception from {@code invoke} is the record's failure and goes through the configured
 *       processing error handler ({@code fail}, {@code skip}, {@code dead-letter}); throw a {@link
 *       dev.weir.errors.WeirException} for a failure of the external system, which fails the task
 *       instead of skipping the record.
 *   <li>Transaction ids must be derived from {@link InitContext#transactionIdPrefix()} and {@link
 *       InitContext#transactionSequence()} so that {@link #recoverAndAbort} can find the task's
 *       leftovers, and another application or task never sees them.
 * </ul>
 *
 * <p>Threading: every method of one copy is called from one thread at a time (the task's stream
 * thread); different tasks' copies run concurrently.
 *
 * @param <IN> the type of the records written
 * @param <TXN> the transaction handle: a small value naming an external transaction (a file name, a
 *     global transaction id), written into the task's changelog with {@link #transactionSerde()}
 */
public abstract class TwoPhaseCommitSink<IN, TXN> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Creates the sink; subclasses keep configuration in serialisable fields. */
  protected TwoPhaseCommitSink() {}

  /**
   * Opens this task's copy: connects to the external system. Called once per task incarnation,
   * before any other method but {@link #transactionSerde()}.
   *
   * @param context the task's identity and transaction ids; not null; valid until {@link #close()}
   * @throws Exception when the external system cannot be reached: the task fails to open
   */
  public void open(InitContext context) throws Exception {}

  /**
   * Begins a new external transaction.
   *
   * @return the handle of the new transaction; not null
   * @throws Exception when the external system refuses; the task is rolled back
   */
  public abstract TXN beginTransaction() throws Exception;

  /**
   * Writes one record into the open transaction, invisibly to readers.
   *
   * @param transaction the transaction {@link #beginTransaction()} returned; not null
   * @param value the record; not null
   * @param context the record's timestamp and the task's clocks; valid only during the call
   * @throws Exception when the record cannot be written; it goes through the processing error
   *     handler, so nothing of it may have been written (see the class rules)
   */
  public abstract void invoke(TXN transaction, IN value, Context context) throws Exception;

  /**
   * Prepares the transaction: flushes it and makes it durable and recoverable from its handle,
   * still invisible. No record is written into it afterwards.
   *
   * @param transaction the open transaction; not null
   * @throws Exception when the transaction cannot be prepared; the Kafka transaction is then not
   *     committed, and the runtime aborts this transaction and rolls the task back
   */
  public abstract void preCommit(TXN transaction) throws Exception;

  /**
   * Commits a pre-committed transaction: its records become visible. Called after the Kafka
   * transaction that recorded the handle committed. Must be idempotent.
   *
   * @param transaction a pre-committed transaction, possibly already committed; not null
   * @throws Exception when the commit failed; the task fails and the commit is retried by {@link
   *     #recoverAndCommit} after the task is rebuilt
   */
  public abstract void commit(TXN transaction) throws Exception;

  /**
   * Drops a transaction whose handle no Kafka transaction recorded: one that was begun and not
   * pre-committed when the task closes or rolls back, or whose {@link #preCommit} failed. None of
   * its records may ever become visible. May be called for a transaction the external system
   * already dropped.
   *
   * @param transaction the transaction; not null
   * @throws Exception when the external system refuses; logged, and {@link #recoverAndAbort} cleans
   *     up at the next restore
   */
  public abstract void abort(TXN transaction) throws Exception;

  /**
   * Whether the sink wants a transaction at this task commit although no record arrived since the
   * last one: the runtime then begins one, pre-commits it and records it like any other. A file
   * sink says yes when an idle part file should end, so that it becomes visible without waiting for
   * the next record. Called at every commit of the task while no transaction is open, so keep it
   * cheap; by default false.
   *
   * @param now the task's processing time, epoch milliseconds
   * @return true to have a transaction begun and pre-committed now
   */
  public boolean wantsTransactionWithoutRecords(long now) {
    return false;
  }

  /**
   * The serde of handles, with which the runtime writes them into the task's changelog and reads
   * them back at restore. Its format must stay readable across versions of the sink.
   *
   * @return the serde; not null
   */
  public abstract Serde<TXN> transactionSerde();

  /**
   * Commits a transaction found in the task's committed state at restore: its Kafka transaction
   * committed, but the process may have died before or during {@link #commit}. By default calls
   * {@link #commit}.
   *
   * @param transaction a handle from committed state; not null
   * @throws Exception when the commit failed; the task fails to start and is retried
   */
  public void recoverAndCommit(TXN transaction) throws Exception {
    commit(transaction);
  }

  /**
   * Aborts every transaction of this task that the external system still holds and the committed
   * state does not know: those pre-committed (or only begun) before a crash whose Kafka transaction
   * never committed. Called once at restore, after {@link #recoverAndCommit} ran for every handle
   * in {@code committedHandles}, and before {@link #beginTransaction()}. Find them by {@link
   * InitContext#transactionIdPrefix()} (PostgreSQL: {@code pg_prepared_xacts}; files: the task's
   * in-progress and pending files). By default does nothing, which is right only for systems that
   * drop unprepared and unknown transactions by themselves.
   *
   * @param context the same context as {@link #open}; not null
   * @param committedHandles the handles in committed state, already committed; not null, read-only
   * @throws Exception when the leftovers cannot be aborted; the task fails to start and is retried
   */
  public void recoverAndAbort(InitContext context, Collection<TXN> committedHandles)
      throws Exception {}

  /**
   * Releases connections and files. Called once when the task closes, after {@link #abort} of the
   * open transaction if there is one. Must not throw for a sink that failed to open.
   *
   * @throws Exception logged; the task closes anyway
   */
  public void close() throws Exception {}

  /** What a task's copy of the sink knows about where it runs. Valid until {@link #close()}. */
  public interface InitContext {
    /**
     * The application id.
     *
     * @return {@code application.id}; not null
     */
    String applicationId();

    /**
     * The task id, {@code <sub-topology>_<partition>}.
     *
     * @return the task id; not null
     */
    String taskId();

    /**
     * The sink's stable name: its uid, else its name.
     *
     * @return the sink's name; not null
     */
    String sinkName();

    /**
     * The task's partition: Flink's subtask index.
     *
     * @return the partition, from 0
     */
    int subtaskIndex();

    /**
     * The number of tasks of the sink's sub-topology: Flink's parallelism.
     *
     * @return at least 1
     */
    int numberOfParallelSubtasks();

    /**
     * A prefix that names this task's transactions of this sink and no other task's or
     * application's: {@code <application.id>-<sink name>-<task id>}, with characters other than
     * letters, digits, {@code .}, {@code _} and {@code -} replaced by {@code _}. Stable across
     * restarts and instances, so a new owner of the task finds its predecessor's transactions.
     *
     * @return the prefix; not null
     */
    String transactionIdPrefix();

    /**
     * The sequence number of the transaction being begun (read it in {@link #beginTransaction()}):
     * it grows by one with every transaction and is kept in the task's committed state, so it never
     * repeats a number whose handle can be in committed state. A number whose transaction was begun
     * but never recorded by a Kafka commit may be used again after a restore, once {@link
     * #recoverAndAbort} has removed that transaction.
     *
     * @return the sequence number, from 0
     */
    long transactionSequence();

    /**
     * The task's processing time: the runtime's clock (the test driver's in tests), for sinks that
     * roll or expire by time in {@link #preCommit}.
     *
     * @return epoch milliseconds
     */
    long currentProcessingTime();
  }

  /** The context of one {@link #invoke} call. Valid only during the call. */
  public interface Context {
    /**
     * The record's timestamp.
     *
     * @return epoch milliseconds
     */
    long timestamp();

    /**
     * The task's current watermark.
     *
     * @return epoch milliseconds, or {@link Long#MIN_VALUE} before the first watermark
     */
    long currentWatermark();

    /**
     * The task's processing time.
     *
     * @return epoch milliseconds of the runtime's clock (the test driver's clock in tests)
     */
    long currentProcessingTime();
  }
}
