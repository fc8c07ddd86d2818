package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.KafkaClientSupplier;
import dev.weir.WeirApplication;
import dev.weir.sink.TwoPhaseCommitSink;
import dev.weir.sink.file.DefaultRollingPolicy;
import dev.weir.sink.file.FileSink;
import dev.weir.sink.file.FileTransaction;
import dev.weir.sink.file.SimpleStringEncoder;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.JavaProcess;
import dev.weir.testkit.faults.Fault;
import dev.weir.testkit.faults.FaultInjector;
import dev.weir.testkit.faults.Operation;
import dev.weir.testkit.faults.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One instance of "in -> keyBy -> tag -> files" in its own JVM, for {@link FileSinkCrashIT}.
 * Arguments: bootstrap, application id, state dir, input topic, base path, crash point, commit
 * number. The instance halts ({@code Runtime.halt}, as kill -9) at the crash point: {@code
 * after-pre-commit} (at the n-th Kafka commit, before it: the files' transaction is pre-committed
 * and recorded in the open Kafka transaction), {@code after-kafka-commit} (the n-th Kafka commit
 * succeeded, the files are not committed), {@code after-file-commit} (the n-th file commit done,
 * the next Kafka transaction not begun), {@code in-recovery} (the first restore that commits a
 * handle, before the leftovers are removed), or {@code none}.
 */
public final class FileSinkMain {
  static final int HALTED = 86;

  private FileSinkMain() {}

  static void halt(String where) {
    System.out.println("HALT " + where);
    System.out.flush();
    Runtime.getRuntime().halt(HALTED);
  }

  static Topology topology(String in, String basePath, String crash, int n) {
    TwoPhaseCommitSink<String, FileTransaction> files =
        FileSink.forRowFormat(basePath, new SimpleStringEncoder<String>())
            .withBucketAssigner((v, c) -> "b" + (Integer.parseInt(v.split(":")[1]) % 3))
            .withRollingPolicy(
                DefaultRollingPolicy.builder()
                    .withMaxPartSize(4096)
                    .withRolloverInterval(Duration.ofSeconds(2))
                    .withInactivityInterval(Duration.ofSeconds(1))
                    .build())
            .build();
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "in")
        .keyBy(
            v -> v.substring(0, v.indexOf(':')),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .map(v -> v + ":tagged")
        .name("tag")
        .sinkTo(new Crashing<>(files, crash, n))
        .uid("files");
    return b.build();
  }

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    String crash = args[5];
    int n = Integer.parseInt(args[6]);
    FaultInjector.Builder faults = FaultInjector.builder();
    if (crash.equals("after-pre-commit")) {
      faults.on(Operation.COMMIT_TRANSACTION, Trigger.onCall(n), Fault.running(c -> halt(crash)));
    } else if (crash.equals("after-kafka-commit")) {
      faults.on(
          Operation.COMMIT_TRANSACTION,
          Trigger.onCall(n),
          Fault.runningAfterCall(c -> halt(crash)));
    }
    FaultInjector injector = faults.build();
    WeirApplication app =
        new WeirApplication(
            topology(args[3], args[4], crash, n),
            Pipelines.appProps(args[0], args[1], Path.of(args[2])),
            KafkaClientSupplier.decorating(
                KafkaClientSupplier.defaults(),
                injector::producer,
                UnaryOperator.identity(),
                UnaryOperator.identity()));
    CountDownLatch stopped = new CountDownLatch(1);
    app.setStateListener(
        (now, before) -> {
          System.out.println("STATE " + now);
          if (now.isTerminal()) {
            stopped.countDown();
          }
        });
    Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    app.start();
    stopped.await();
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }

  /** Delegates to the file sink and halts the JVM at the sink's own crash points. */
  static final class Crashing<IN, T> extends TwoPhaseCommitSink<IN, T> {
    private static final long serialVersionUID = 1L;
    private static int commits;
    private final TwoPhaseCommitSink<IN, T> sink;
    private final String crash;
    private final int n;

    Crashing(TwoPhaseCommitSink<IN, T> sink, String crash, int n) {
      this.sink = sink;
      this.crash = crash;
      this.n = n;
    }

    @Override
    public void open(InitContext context) throws Exception {
      sink.open(context);
    }

    @Override
    public T beginTransaction() throws Exception {
      return sink.beginTransaction();
    }

    @Override
    public void invoke(T txn, IN value, Context context) throws Exception {
      sink.invoke(txn, value, context);
    }

    @Override
    public void preCommit(T txn) throws Exception {
      sink.preCommit(txn);
    }

    @Override
    public void commit(T txn) throws Exception {
      sink.commit(txn);
      synchronized (Crashing.class) {
        if (crash.equals("after-file-commit") && ++commits == n) {
          halt(crash);
        }
      }
    }

    @Override
    public void recoverAndCommit(T txn) throws Exception {
      sink.recoverAndCommit(txn);
      if (crash.equals("in-recovery")) {
        halt(crash);
      }
    }

    @Override
    public void recoverAndAbort(InitContext context, Collection<T> committed) throws Exception {
      sink.recoverAndAbort(context, committed);
    }

    @Override
    public void abort(T txn) throws Exception {
      sink.abort(txn);
    }

    @Override
    public boolean wantsTransactionWithoutRecords(long now) {
      return sink.wantsTransactionWithoutRecords(now);
    }

    @Override
    public Serde<T> transactionSerde() {
      return sink.transactionSerde();
    }

    @Override
    public void close() throws Exception {
      sink.close();
    }
  }
}
