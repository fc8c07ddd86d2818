package dev.weir.perf.jmh;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building and applying one RocksDB write batch of {@value #ENTRIES} puts, the unit of changelog
 * restore ({@code ChangelogRestorer}'s default batch size) and of a large commit. Keys are {@value
 * #KEY_BYTES} bytes, values {@value #VALUE_BYTES} bytes, and each batch also carries one changelog
 * offset, as restore batches do. The batch is reused across invocations (cleared after each), as
 * restore reuses it.
 *
 * <p>Successive batches take the next {@value #ENTRIES} keys of a pool of {@value #POOL} keys, so
 * RocksDB sees a mix of new keys and overwrites and its memtables fill and flush as during a
 * restore. Scores are per batch. Run with {@code perf/run.sh jmh WriteBatch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WriteBatchBenchmark {
  /** Puts per batch. */
  static final int ENTRIES = 10_000;

  /** Key length: a typical serialized business key. */
  static final int KEY_BYTES = 25;

  /** Value length: a typical small serialized record. */
  static final int VALUE_BYTES = 110;

  /** Distinct keys the batches cycle through. */
  static final int POOL = 100_000;

  private static final String STORE = "op.state";

  private Path dir;
  private StateBackend backend;
  private TaskStateStore state;
  private StateWriteBatch batch;
  private byte[][] keys;
  private byte[][] values;
  private int next;
  private long offset;

  /** Opens RocksDB in a temporary directory and generates the keys and values. */
  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("weir-jmh-batch");
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
    state = backend.open("0_0", List.of(STORE));
    batch = state.newWriteBatch();
    SplittableRandom random = new SplittableRandom(7);
    keys = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      keys[i] = randomBytes(random, KEY_BYTES);
    }
    // A few distinct values are enough: their content does not matter to the batch.
    values = new byte[16][];
    for (int i = 0; i < values.length; i++) {
      values[i] = randomBytes(random, VALUE_BYTES);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    batch.close();
    state.close();
    backend.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Adds the next {@value #ENTRIES} puts and an offset to the (empty) batch. */
  private void fill() {
    int from = next;
    for (int i = 0; i < ENTRIES; i++) {
      batch.put(STORE, keys[(from + i) % POOL], values[i & 15]);
    }
    next = (from + ENTRIES) % POOL;
    batch.putOffset("bench-changelog-0", ++offset);
  }

  /** Only building: {@value #ENTRIES} puts into the batch, then clearing it for reuse. */
  @Benchmark
  public int build() {
    fill();
    int size = batch.size();
    batch.clear();
    return size;
  }

  /** Building and applying without the WAL, as changelog restore does. */
  @Benchmark
  public void buildAndApplyUnlogged() {
    fill();
    state.applyBatchWithoutWal(batch);
    batch.clear();
  }

  /** Building and applying through the WAL, as a commit does. */
  @Benchmark
  public void buildAndApplyLogged() {
    fill();
    state.applyBatch(batch);
    batch.clear();
  }
}
