package dev.weir.postgres;

import dev.weir.sink.TwoPhaseCommitSink;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;

/**
 * A {@link PostgresSink} that halts its JVM (no shutdown hooks, as {@code kill -9}) at the n-th
 * call of one protocol step: "preCommit" (after the prepare, before the Kafka commit), "commit"
 * (after the Kafka commit, before COMMIT PREPARED), "recoverAndCommit" (after committing a
 * recovered handle, before the leftovers are rolled back), or "none".
 */
final class CrashingSink<IN> extends TwoPhaseCommitSink<IN, PostgresTransaction> {
  private static final long serialVersionUID = 1L;

  /** Shared by all tasks' copies of the JVM: the n-th call of the step across tasks. */
  private static final AtomicInteger CALLS = new AtomicInteger();

  private final PostgresSink<IN> delegate;
  private final String step;
  private final int nth;

  CrashingSink(PostgresSink<IN> delegate, String step, int nth) {
    this.delegate = delegate;
    this.step = step;
    this.nth = nth;
  }

  private void maybeHalt(String now) {
    if (step.equals(now) && CALLS.incrementAndGet() == nth) {
      System.out.println("HALT at " + now + " #" + nth);
      System.out.flush();
      Runtime.getRuntime().halt(137);
    }
  }

  @Override
  public void open(InitContext context) throws Exception {
    delegate.open(context);
  }

  @Override
  public PostgresTransaction beginTransaction() {
    return delegate.beginTransaction();
  }

  @Override
  public void invoke(PostgresTransaction transaction, IN value, Context context) throws Exception {
    delegate.invoke(transaction, value, context);
  }

  @Override
  public void preCommit(PostgresTransaction transaction) {
    delegate.preCommit(transaction);
    maybeHalt("preCommit");
  }

  @Override
  public void commit(PostgresTransaction transaction) {
    maybeHalt("commit");
    delegate.commit(transaction);
  }

  @Override
  public void recoverAndCommit(PostgresTransaction transaction) {
    delegate.recoverAndCommit(transaction);
    maybeHalt("recoverAndCommit");
  }

  @Override
  public void abort(PostgresTransaction transaction) {
    delegate.abort(transaction);
  }

  @Override
  public void recoverAndAbort(InitContext context, Collection<PostgresTransaction> committed) {
    delegate.recoverAndAbort(context, committed);
  }

  @Override
  public Serde<PostgresTransaction> transactionSerde() {
    return delegate.transactionSerde();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
