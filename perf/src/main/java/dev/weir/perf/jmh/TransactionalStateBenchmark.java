package dev.weir.perf.jmh;

import dev.weir.store.KeyValueStore;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.TaskStateStore;
import dev.weir.store.TransactionalTaskState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keyed state access as an operator sees it: {@code get}/{@code put} through the transactional
 * overlay ({@link TransactionalTaskState}) over RocksDB, and the commit that applies the overlay.
 *
 * <p>Keys are 8-byte big-endian numbers below {@code keys}, all present in the committed base;
 * values are 8 bytes (a running count). Run with {@code perf/run.sh jmh TransactionalState}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransactionalStateBenchmark {
  /** Writes per commit in {@link #putThenCommit}. */
  static final int BATCH = 1000;

  /** Keys in the committed base. */
  @Param({"100000"})
  public int keys;

  private Path dir;
  private StateBackend backend;
  private TaskStateStore base;
  private TransactionalTaskState state;
  private KeyValueStore store;
  private final SplittableRandom random = new SplittableRandom(42);
  private final byte[] value = new byte[8];
  private long commitOffset;

  /** Opens RocksDB in a temporary directory and commits {@link #keys} entries. */
  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("weir-jmh-state");
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
    base = backend.open("0_0", List.of("op.count"));
    state = TransactionalTaskState.wrap(base);
    store = state.store("op.count");
    for (int i = 0; i < keys; i++) {
      store.put(key(i), value);
      if (i % 10_000 == 9_999) {
        commit();
      }
    }
    commit();
  }

  /** Drops whatever a benchmark left pending, so each iteration starts from the committed base. */
  @Setup(Level.Iteration)
  public void clean() {
    state.abort();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    base.close();
    backend.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void commit() {
    state.commit(Map.of("bench-changelog-0", ++commitOffset));
  }

  private static byte[] key(long k) {
    return ByteBuffer.allocate(8).putLong(k).array();
  }

  /** A read of a committed key with nothing pending: overlay miss, RocksDB hit. */
  @Benchmark
  public byte[] getCommitted() {
    return store.get(key(random.nextInt(keys)));
  }

  /**
   * The running-count step: read a key, write it back. Repeated writes to the same keys stay in the
   * overlay (one entry per key), as within one commit interval.
   */
  @Benchmark
  public byte[] readModifyWrite() {
    byte[] k = key(random.nextInt(keys));
    byte[] v = store.get(k);
    store.put(k, v);
    return v;
  }

  /** {@value #BATCH} read-modify-writes of distinct keys and the commit that applies them. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void putThenCommit() {
    int from = random.nextInt(keys - BATCH);
    for (int i = from; i < from + BATCH; i++) {
      byte[] k = key(i);
      store.put(k, store.get(k));
    }
    state.forEachPendingWrite((s, k, v) -> {});
    commit();
  }
}
