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
 * W4 on Weir: the latest value per key in a {@link ValueState} of the keyed input (already
 * partitioned by key, so no repartition, like Kafka Streams' {@code builder.table}). Phase {@code
 * load} fills the changelog; phase {@code restore} starts on an empty state directory and reports
 * the time until RUNNING (Weir restores a task's state while creating the task, before the thread
 * runs), the records restored, the CPU used, and afterwards, with the application closed, the
 * entries in the restored RocksDB stores.
 */
final class WeirW4 implements Contender {
  static final String STORE = "latest";

  private WeirApplication app;

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
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.keyValues(spec.inputs().get(0), Serdes.String(), Serdes.String()), "input")
        .reinterpretAsKeyedStream(KeyValue::key, Serdes.String())
        .process(new Latest())
        .uid(STORE);
    app = new WeirApplication(b.build(), WeirW1.properties(spec));
    boolean restore = spec.phase().equals("restore");
    long startCpu = KafkaStreamsW4.cpuNanos();
    long start = System.nanoTime();
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
                      if (restore) {
                        report(spec, status, (ready - start) / 1_000_000, cpu / 1_000_000);
                      } else {
                        GroupProgress.reportLoaded(spec, status);
                      }
                    },
                    "w4-report");
            t.setDaemon(true);
            t.start();
          }
        });
    app.start();
  }

  private void report(ContenderSpec spec, StatusFile status, long restoreMs, long cpuMs) {
    try {
      Map<String, Long> m = app.metrics();
      app.close(Duration.ofSeconds(30));
      status.put("restoreMs", restoreMs);
      status.put("cpuMs", cpuMs);
      status.put("restoredRecords", m.getOrDefault("state-restored-records", -1L));
      status.put("storeEntries", countEntries(spec.stateDir().resolve(spec.appId())));
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
  public void stop() {
    if (app != null) {
      app.close(Duration.ofSeconds(30));
    }
  }
}
