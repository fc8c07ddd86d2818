package dev.weir.internal.task;

import dev.weir.sink.TwoPhaseCommitSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * An external transactional system for protocol tests: it records every call, keeps transactions by
 * id (open, prepared, committed, aborted) like PostgreSQL's prepared transactions, and fails a
 * named step on demand, either with an exception or with a {@link Crash} that stands for the
 * process dying there. Systems are found by name because the runtime copies the sink per task.
 */
final class FakeExternalSystem {
  /** The process died at this point: nothing after it ran. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash(String where) {
      super("crash in " + where);
    }
  }

  enum State {
    OPEN,
    PREPARED,
    COMMITTED,
    ABORTED
  }

  private static final Map<String, FakeExternalSystem> SYSTEMS = new ConcurrentHashMap<>();

  final List<String> calls = new ArrayList<>();
  final Map<String, State> transactions = new LinkedHashMap<>();
  final Map<String, List<String>> rows = new LinkedHashMap<>();
  final List<String> visible = new ArrayList<>();

  /** The sink asks for a transaction at the next commit without records. */
  boolean wantsTransaction;

  private String crashAt;
  private String failAt;

  static FakeExternalSystem create(String name) {
    FakeExternalSystem s = new FakeExternalSystem();
    SYSTEMS.put(name, s);
    return s;
  }

  /** The next call of {@code step} dies (a {@link Crash}) before it does anything. */
  void crashAt(String step) {
    crashAt = step;
  }

  /** The next call of {@code step} throws an exception before it does anything. */
  void failAt(String step) {
    failAt = step;
  }

  private void enter(String step, String call) throws Exception {
    calls.add(call);
    if (step.equals(crashAt)) {
      crashAt = null;
      throw new Crash(step);
    }
    if (step.equals(failAt)) {
      failAt = null;
      throw new java.io.IOException("the external system refused " + step);
    }
  }

  /** The sink: handles are transaction ids. */
  static final class Sink extends TwoPhaseCommitSink<String, String> {
    private static final long serialVersionUID = 1L;
    private final String system;
    private transient FakeExternalSystem s;
    private transient InitContext context;

    Sink(String system) {
      this.system = system;
    }

    @Override
    public void open(InitContext context) throws Exception {
      this.s = SYSTEMS.get(system);
      this.context = context;
      s.enter("open", "open " + context.transactionIdPrefix());
    }

    @Override
    public String beginTransaction() throws Exception {
      String id = context.transactionIdPrefix() + "-" + context.transactionSequence();
      s.enter("begin", "begin " + id);
      s.transactions.put(id, State.OPEN);
      s.rows.put(id, new ArrayList<>());
      return id;
    }

    @Override
    public void invoke(String txn, String value, Context ctx) throws Exception {
      if (value.startsWith("bad")) {
        throw new IllegalArgumentException("cannot write " + value);
      }
      s.enter("invoke", "invoke " + txn + " " + value);
      s.rows.get(txn).add(value);
    }

    @Override
    public void preCommit(String txn) throws Exception {
      s.enter("preCommit", "preCommit " + txn);
      s.transactions.put(txn, State.PREPARED);
    }

    @Override
    public void commit(String txn) throws Exception {
      s.enter("commit", "commit " + txn);
      commitIdempotently(txn);
    }

    @Override
    public void recoverAndCommit(String txn) throws Exception {
      s.enter("recoverAndCommit", "recoverAndCommit " + txn);
      commitIdempotently(txn);
    }

    private void commitIdempotently(String txn) {
      State st = s.transactions.get(txn);
      if (st == State.COMMITTED) {
        return;
      }
      if (st != State.PREPARED) {
        throw new IllegalStateException("commit of " + txn + " in state " + st);
      }
      s.transactions.put(txn, State.COMMITTED);
      s.visible.addAll(s.rows.get(txn));
    }

    @Override
    public void abort(String txn) throws Exception {
      s.enter("abort", "abort " + txn);
      if (s.transactions.get(txn) == State.COMMITTED) {
        throw new IllegalStateException("abort of committed " + txn);
      }
      s.transactions.put(txn, State.ABORTED);
    }

    @Override
    public void recoverAndAbort(InitContext ctx, Collection<String> committed) throws Exception {
      s.enter("recoverAndAbort", "recoverAndAbort " + committed);
      s.transactions.forEach(
          (id, st) -> {
            if (id.startsWith(ctx.transactionIdPrefix() + "-")
                && !committed.contains(id)
                && (st == State.OPEN || st == State.PREPARED)) {
              s.transactions.put(id, State.ABORTED);
              s.calls.add("aborted " + id);
            }
          });
    }

    @Override
    public boolean wantsTransactionWithoutRecords(long now) {
      boolean wants = s.wantsTransaction;
      s.wantsTransaction = false;
      return wants;
    }

    @Override
    public Serde<String> transactionSerde() {
      return Serdes.String();
    }

    @Override
    public void close() throws Exception {
      s.calls.add("close");
    }
  }
}
