package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's pool of restore writers ({@code state.restore.threads}): they apply restored
 * changelog records to the stores while the stream threads fetch and parse the next ones. Threads
 * start with the first restore and end after a few idle seconds, so an instance that is not
 * restoring holds none.
 */
final class RestoreWriters {
  private static final long IDLE_SECONDS = 10;

  private RestoreWriters() {}

  /** The pool, or null when {@code state.restore.threads} is 0. */
  static ExecutorService create(Settings config, String applicationId) {
    int threads = config.getInt(ConfigKeys.STATE_RESTORE_THREADS_CONFIG);
    if (threads == 0) {
      return null;
    }
    AtomicInteger next = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, applicationId + "-restore-writer-" + next.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
