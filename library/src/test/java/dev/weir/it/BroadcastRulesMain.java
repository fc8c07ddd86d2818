package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedBroadcastProcessFunction;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.BroadcastStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One instance of the broadcast-rules pipeline in its own JVM, for {@link BroadcastCrashIT}.
 * Arguments: bootstrap, application id, state dir. Runs until killed or its parent dies.
 *
 * <p>txns ("key:seq") keyed by key, connected with rules ("name:divisor", "name:-" removes): every
 * transaction yields "key:seq:count:hits" (its rank within its key, and how many rules' divisors
 * divide seq); every rule record yields "rule:record@task" on every task.
 */
public final class BroadcastRulesMain {
  static final MapStateDescriptor<String, Long> RULES =
      new MapStateDescriptor<>("rules", Serdes.String(), Serdes.Long());

  private BroadcastRulesMain() {}

  static Topology topology() {
    StreamBuilder b = new StreamBuilder();
    BroadcastStream<String> rules =
        b.fromSource(KafkaSource.topic("bc-rules", Serdes.String()), "rules").broadcast(RULES);
    b.fromSource(KafkaSource.topic("bc-txns", Serdes.String()), "txns")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .connect(rules)
        .process(new Rules())
        .uid("rules")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("bc-out", Serdes.String()));
    return b.build();
  }

  static final class Rules extends KeyedBroadcastProcessFunction<String, String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open() {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long(), 0L));
    }

    @Override
    public void processElement(String txn, ReadOnlyContext ctx, Collector<String> out)
        throws Exception {
      // Slow enough that a kill lands while a transaction is open.
      Thread.sleep(1);
      long seq = Long.parseLong(txn.substring(txn.indexOf(':') + 1));
      int hits = 0;
      for (long divisor : ctx.getBroadcastState(RULES).immutableEntries().values()) {
        if (divisor > 0 && seq % divisor == 0) {
          hits++;
        }
      }
      long n = count.value() + 1;
      count.update(n);
      out.collect(txn + ":" + n + ":" + hits);
    }

    @Override
    public void processBroadcastElement(String rule, Context ctx, Collector<String> out)
        throws Exception {
      String name = rule.substring(0, rule.indexOf(':'));
      String value = rule.substring(rule.indexOf(':') + 1);
      if (value.equals("-")) {
        ctx.getBroadcastState(RULES).remove(name);
      } else {
        ctx.getBroadcastState(RULES).put(name, Long.parseLong(value));
      }
      out.collect("rule:" + rule + "@" + getRuntimeContext().indexOfThisSubtask());
    }
  }

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    WeirApplication app =
        new WeirApplication(topology(), Pipelines.appProps(args[0], args[1], Path.of(args[2])));
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
}
