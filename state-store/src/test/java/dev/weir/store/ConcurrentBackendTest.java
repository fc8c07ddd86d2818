package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream threads open and close their tasks on one shared backend at the same time. */
class ConcurrentBackendTest {
  private static final int THREADS = 4;
  private static final int ROUNDS = 8;

  @TempDir Path directory;

  @Test
  void threadsOpenWriteAndCloseTheirOwnTasksConcurrently() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory))) {
      List<Future<?>> results = new ArrayList<>();
      for (int thread = 0; thread < THREADS; thread++) {
        String taskId = "0_" + thread;
        results.add(
            threads.submit(
                () -> {
                  for (int round = 0; round < ROUNDS; round++) {
                    try (TaskStateStore state = backend.open(taskId, List.of("a"))) {
                      state.store("a").put(bytes(round), bytes(round));
                    }
                  }
                }));
      }
      for (Future<?> result : results) {
        result.get(60, TimeUnit.SECONDS);
      }
      for (int thread = 0; thread < THREADS; thread++) {
        try (TaskStateStore state = backend.open("0_" + thread, List.of("a"))) {
          assertThat(TestBytes.keys(state.store("a").all())).hasSize(ROUNDS);
        }
      }
    } finally {
      threads.shutdown();
      assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
  }
}
