package dev.weir.perf;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.TaskStateStore;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W4 and W5 on Weir: the latest value per key in a {@link ValueState} of the keyed input (already
 * partitioned by key, so no repartition, like Kafka Streams' {@code builder.table}). Phase {@code
 * load} fills the changelog. Phases {@code restore} (W4, on an empty state directory) and {@code
 * recover} (W5, on the state directory a {@code kill -9} left) report the time until RUNNING (Weir
 * restores a task's state while creating the task, before the thread runs), the records restored
 * and the CPU used, both from the entry into {@link #start}, before the application is constructed
 * (as for Kafka Streams, which creates its clients in its constructor), and the part of that time
 * spent before {@code WeirApplication.start()} ({@code beforeStartMs}). Then {@code restore} closes
 * the application and reports the entries in its RocksDB stores; {@code recover} keeps running (the
 * harness kills it again) and reports the entries only when it is stopped gracefully.
 */
final class WeirW4 implements Contender {
  static final String STORE = "latest";

  private WeirApplication app;
  private ContenderSpec spec;
  private StatusFile status;

  /** Keeps the latest value of each key. */
  static final class Latest extends KeyedProcessFunction<String, KeyValue<String, String>, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<String> latest;

    @Override
    public void open() {
      latest = getRuntimeContext().getState(new ValueStateDescriptor<>("value", Serdes.String()));
    }

    @Override
    public void processElement(KeyValue<String, String> kv, Context ctx, Collector<String> out) {
      latest.update(kv.value());
    }
  }

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    // Measured from here, before the topology is built and the application constructed, as for
    // Kafka Streams (KafkaStreamsContender.enteredNanos): the two split their set-up differently
    // between the constructor and start().
    long startCpu = KafkaStreamsW4.cpuNanos();
    long start = System.nanoTime();
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.keyValues(spec.inputs().get(0), Serdes.String(), Serdes.String()), "input")
        .reinterpretAsKeyedStream(KeyValue::key, Serdes.String())
        .process(new Latest())
        .uid(STORE);
    app = new WeirApplication(b.build(), WeirW1.properties(spec));
    this.spec = spec;
    this.status = status;
    boolean load = spec.phase().equals("load");
    long constructed = System.nanoTime();
    app.setStateListener(
        (now, before) -> {
          if (now == ApplicationState.ERROR || now == ApplicationState.PENDING_ERROR) {
            status.put("failed", "Weir application entered " + now);
          } else if (now == ApplicationState.RUNNING && before == ApplicationState.REBALANCING) {
            long ready = System.nanoTime();
            long cpu = KafkaStreamsW4.cpuNanos() - startCpu;
            Thread t =
                new Thread(
                    () -> {
                      if (load) {
                        GroupProgress.reportLoaded(spec, status);
                      } else {
                        report(
                            (ready - start) / 1_000_000,
                            cpu / 1_000_000,
                            (constructed - start) / 1_000_000);
                      }
                    },
                    "w4-report");
            t.setDaemon(true);
            t.start();
          }
        });
    app.start();
  }

  private void report(long restoreMs, long cpuMs, long beforeStartMs) {
    try {
      Map<String, Long> m = app.metricsSnapshot();
      status.put("restoreMs", restoreMs);
      status.put("beforeStartMs", beforeStartMs);
      status.put("cpuMs", cpuMs);
      status.put("restoredRecords", m.getOrDefault("state-restored-records", -1L));
      if (spec.phase().equals("restore")) {
        app.close(Duration.ofSeconds(30));
        status.put("storeEntries", countEntries(spec.stateDir().resolve(spec.appId())));
      }
      status.put("restored", 1);
    } catch (RuntimeException | IOException e) {
      status.put("failed", ContenderMain.oneLine(e));
    }
  }

  /** Entries of the {@value #STORE} stores of every task in an instance directory. */
  private static long countEntries(Path instanceDir) throws IOException {
    long n = 0;
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(instanceDir));
        Stream<Path> dirs = Files.list(instanceDir)) {
      for (Path task : dirs.filter(d -> Files.isDirectory(d.resolve("rocksdb"))).toList()) {
        try (TaskStateStore state = backend.open(task.getFileName().toString(), List.of())) {
          for (String store : state.storeNames()) {
            if (store.startsWith(STORE)) {
              try (KeyValueIterator it = state.store(store).all()) {
                while (it.hasNext()) {
                  it.next();
                  n++;
                }
              }
            }
          }
        }
      }
    }
    return n;
  }

  @Override
  public void stop() throws IOException {
    if (app != null) {
      app.close(Duration.ofSeconds(30));
      if (spec.phase().equals("recover")) {
        status.put("storeEntries", countEntries(spec.stateDir().resolve(spec.appId())));
      }
    }
  }
}
