package dev.weir.perf;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * W4 and W5 on Kafka Streams: a table of the latest value per key ({@code builder.table} with a
 * changelogged RocksDB store). Phase {@code load} consumes the keyed input once, which writes the
 * changelog, and reports {@code loaded} when the input is committed. Phases {@code restore} (W4, on
 * an empty state directory) and {@code recover} (W5, on the state directory a {@code kill -9} left)
 * report how long it took until the instance was ready, the records restored and the CPU used, both
 * counted from the entry into {@code start}, before {@code new KafkaStreams} (which creates the
 * clients and stream threads), and the constructor's part of that time ({@code beforeStartMs}).
 * {@code restore} then reports the entries in the store at once; {@code recover} only when it is
 * stopped gracefully (the harness kills it in every round but the last).
 */
final class KafkaStreamsW4 extends KafkaStreamsContender {
  static final String STORE = "latest";

  private final AtomicLong restored = new AtomicLong();
  private final AtomicLong restoresStarted = new AtomicLong();
  private final AtomicLong restoresEnded = new AtomicLong();
  private final AtomicLong lastRestoreEnd = new AtomicLong();
  private final AtomicLong running = new AtomicLong();
  private long startNanos;
  private long startCpuNanos;
  private long constructedNanos;
  private ContenderSpec spec;
  private StatusFile status;

  @Override
  void build(StreamsBuilder b, ContenderSpec spec) {
    b.table(
        spec.inputs().get(0),
        Consumed.with(Serdes.String(), Serdes.String()),
        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(STORE));
  }

  @Override
  void beforeStart(ContenderSpec spec, StatusFile status) {
    this.spec = spec;
    this.status = status;
    streams.setGlobalStateRestoreListener(
        new StateRestoreListener() {
          @Override
          public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
            restoresStarted.incrementAndGet();
          }

          @Override
          public void onBatchRestored(TopicPartition tp, String store, long end, long n) {
            restored.addAndGet(n);
          }

          @Override
          public void onRestoreEnd(TopicPartition tp, String store, long total) {
            lastRestoreEnd.set(System.nanoTime());
            restoresEnded.incrementAndGet();
          }
        });
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            running.compareAndSet(0, System.nanoTime());
          }
        });
    Thread t = new Thread(this::report, "w4-report");
    t.setDaemon(true);
    t.start();
    // From the entry into start(), before new KafkaStreams (see KafkaStreamsContender): Kafka
    // Streams creates its clients and stream threads in the constructor, Weir in start().
    startCpuNanos = enteredCpuNanos;
    startNanos = enteredNanos;
    constructedNanos = System.nanoTime();
  }

  /**
   * Ready means RUNNING with every restoration that started also ended (whether Kafka Streams
   * restores before or after it reports RUNNING depends on its state-updater thread). W4 starts on
   * an empty state directory, so it must also have restored something; after a crash (W5) there may
   * be nothing to restore.
   */
  private boolean ready() {
    if (running.get() == 0) {
      return false;
    }
    if (spec.phase().equals("load")) {
      return true;
    }
    long started = restoresStarted.get();
    return restoresEnded.get() >= started && (started > 0 || !spec.phase().equals("restore"));
  }

  private void report() {
    try {
      while (!ready()) {
        Thread.sleep(5); // sampling the instance's own progress counters
      }
      long ready = Math.max(running.get(), lastRestoreEnd.get());
      long cpu = cpuNanos() - startCpuNanos;
      if (spec.phase().equals("load")) {
        GroupProgress.reportLoaded(spec, status);
        return;
      }
      status.put("restoreMs", (ready - startNanos) / 1_000_000);
      status.put("beforeStartMs", (constructedNanos - startNanos) / 1_000_000);
      status.put("cpuMs", cpu / 1_000_000);
      status.put("restoredRecords", restored.get());
      if (spec.phase().equals("restore")) {
        status.put("storeEntries", countEntries());
      }
      status.put("restored", 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      status.put("failed", ContenderMain.oneLine(e));
    }
  }

  @Override
  public void stop() {
    if (spec != null
        && spec.phase().equals("recover")
        && streams.state() == KafkaStreams.State.RUNNING) {
      status.put("storeEntries", countEntries());
    }
    super.stop();
  }

  private long countEntries() {
    ReadOnlyKeyValueStore<String, String> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
    long n = 0;
    try (KeyValueIterator<String, String> it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  static long cpuNanos() {
    return ProcStats.ownCpuNanos();
  }
}
