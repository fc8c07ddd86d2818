package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async enrichment against an HTTP service the test runs on loopback with a random latency (1-30
 * ms): two instances in child JVMs, one killed with SIGKILL midway (requests in flight and an open
 * transaction abandoned), then restarted on its state dir. A read_committed reader must find every
 * input's result exactly once, and each key's results in input order (orderedWait).
 */
class AsyncCrashIT {
  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String name, String url) throws Exception {
    return JavaProcess.builder(AsyncEnrichMain.class)
        .name(name)
        .args(bootstrap, "async", tmp.resolve(name).toString(), "async-in", "async-out", url)
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
        .logFile(Path.of("target", "it-logs", "async-" + name + "-" + System.nanoTime() + ".log"))
        .start();
  }

  /**
   * The enrichment service: answers "room-(seq % 7)" after a random latency (1-30 ms), which a
   * scheduled executor adds: the handler returns at once and the response is written later, so no
   * server thread sleeps.
   */
  private static HttpServer service(ScheduledExecutorService pool) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext(
        "/room/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          int seq = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
          byte[] body = ("room-" + (seq % 7)).getBytes(StandardCharsets.UTF_8);
          pool.schedule(
              () -> {
                try {
                  ex.sendResponseHeaders(200, body.length);
                  try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                  }
                } catch (IOException e) {
                  ex.close(); // the client went away (the killed instance)
                }
              },
              ThreadLocalRandom.current().nextInt(1, 31),
              TimeUnit.MILLISECONDS);
        });
    server.setExecutor(pool);
    server.start();
    return server;
  }

  @Test
  void everyInputIsEnrichedExactlyOnceAndInOrderPerKeyAcrossAKill() throws Exception {
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);
    HttpServer server = service(pool);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/room/";
    // The shared build machine can take more than the default 90 s to start a broker.
    try (EmbeddedKafkaCluster kafka =
        EmbeddedKafkaCluster.builder().brokers(1).startTimeout(Duration.ofMinutes(5)).start()) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("async-in", 4);
      kafka.createTopic("async-out", 4);
      List<JavaProcess> all = new ArrayList<>();
      try {
        JavaProcess a = instance(bs, "a", url);
        JavaProcess b = instance(bs, "b", url);
        all.add(a);
        all.add(b);
        int total = 0;
        for (int batch = 0; batch < 2; batch++) {
          Pipelines.produce(bs, "async-in", total, total + 1_000, 32);
          total += 1_000;
        }
        int third = total / 3;
        await()
            .atMost(Duration.ofSeconds(180))
            .until(
                () ->
                    Pipelines.readCommitted(bs, "async-out", third, Duration.ofSeconds(5)).size()
                        >= third);
        a.kill();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        Pipelines.produce(bs, "async-in", total, total + 1_000, 32);
        total += 1_000;
        JavaProcess a2 = instance(bs, "a", url);
        all.add(a2);
        List<String> out = Pipelines.readCommitted(bs, "async-out", total, Duration.ofSeconds(180));
        Map<Integer, Integer> counts = Pipelines.countBySeq(out);
        List<Integer> lost = new ArrayList<>();
        List<Integer> doubled = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          int c = counts.getOrDefault(i, 0);
          if (c == 0) {
            lost.add(i);
          } else if (c > 1) {
            doubled.add(i);
          }
        }
        assertThat(lost).as("lost").isEmpty();
        assertThat(doubled).as("duplicated").isEmpty();
        assertThat(out).hasSize(total);
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> lastSeq = new HashMap<>();
        for (String v : out) {
          String[] p = v.split(":");
          int seq = Integer.parseInt(p[1]);
          if (!p[2].equals("room-" + (seq % 7))) {
            wrong.add(v);
          }
          Integer prev = lastSeq.put(p[0], seq);
          if (prev != null && prev > seq) {
            wrong.add(v + " after seq " + prev);
          }
        }
        assertThat(wrong).as("wrong room or out of order per key").isEmpty();
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    } finally {
      server.stop(0);
      pool.shutdownNow();
    }
  }
}
