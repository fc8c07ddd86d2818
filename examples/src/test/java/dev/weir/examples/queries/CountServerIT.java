package dev.weir.examples.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.query.HostInfo;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import dev.weir.store.RestoreListener;
import dev.weir.testkit.KafkaCluster;
import dev.weir.testkit.WeirKafka;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries on a real broker with two instances in this JVM, each behind its own {@link
 * CountServer}: every user's count is answered exactly by whichever instance is asked (following
 * its redirect), and while one instance restores the other's tasks, a query for a restoring
 * partition fails with {@code RESTORING} (the restore is held open by a restore listener, not
 * timed).
 */
@WeirKafka(brokers = 1)
class CountServerIT {
  private static final int USERS = 24;

  @TempDir Path stateA;
  @TempDir Path stateB;

  @Test
  @SuppressWarnings(
      "try") // B is closed inside the block on purpose: that is the failover under test
  void everyInstanceAnswersEveryKeyAndARestoreFailsClearly(KafkaCluster kafka) throws Exception {
    kafka.createTopic("clicks", 4);
    kafka.createTopic("click-counts", 4);
    Map<String, Long> expected = produceClicks(kafka);

    // A's restore listener holds the first real restore (records to read) after it is armed.
    AtomicBoolean armed = new AtomicBoolean();
    AtomicInteger restoringPartition = new AtomicInteger(-1);
    CountDownLatch restoreStarted = new CountDownLatch(1);
    CountDownLatch releaseRestore = new CountDownLatch(1);
    RestoreListener holdFirst =
        new RestoreListener() {
          @Override
          public void onStart(String store, TopicPartition partition, long from, long to) {
            if (to > from
                && armed.get()
                && restoringPartition.compareAndSet(-1, partition.partition())) {
              restoreStarted.countDown();
              try {
                releaseRestore.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }

          @Override
          public void onBatch(String store, TopicPartition partition, long done, long total) {}

          @Override
          public void onEnd(String store, TopicPartition partition, long restored) {}
        };

    try (CountServer serverA = CountServer.start(new InetSocketAddress("127.0.0.1", 0));
        CountServer serverB = CountServer.start(new InetSocketAddress("127.0.0.1", 0));
        WeirApplication a = instance(kafka, stateA, serverA);
        WeirApplication b = instance(kafka, stateB, serverB)) {
      HostInfo hostA = new HostInfo("127.0.0.1", serverA.port());
      HostInfo hostB = new HostInfo("127.0.0.1", serverB.port());
      a.setGlobalStateRestoreListener(holdFirst);
      a.start();
      b.start();
      serverA.serve(hostA, CountServer.counts(a));
      serverB.serve(hostB, CountServer.counts(b));

      // Both instances answer every user, locally or through a redirect, with the exact count.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(countsVia(serverA)).isEqualTo(expected);
                assertThat(countsVia(serverB)).isEqualTo(expected);
              });
      Set<HostInfo> actives = new HashSet<>();
      for (String user : expected.keySet()) {
        actives.add(
            a.queryMetadataForKey(ClickCounts.UID, user, new StringSerializer())
                .activeHost()
                .orElseThrow());
      }
      assertThat(actives)
          .as("each instance hosts some users")
          .containsExactlyInAnyOrder(hostA, hostB);

      // B leaves; A takes over B's tasks and restores them from their changelogs.
      armed.set(true);
      b.close();
      assertThat(restoreStarted.await(60, TimeUnit.SECONDS)).isTrue();
      int p = restoringPartition.get();
      String user = userOnPartition(a, expected, p);
      assertThatThrownBy(
              () ->
                  a.query(StateQuery.value(ClickCounts.UID, ClickCounts.COUNT, Serdes.String()))
                      .get(user))
          .isInstanceOfSatisfying(
              StateQueryException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(StateQueryException.Reason.RESTORING);
                assertThat(e.partition()).isEqualTo(p);
                assertThat(e.uid()).isEqualTo(ClickCounts.UID);
                assertThat(e.stateName()).isEqualTo("count");
              });
      HttpResponse<String> during = get(serverA, user);
      assertThat(during.statusCode()).isEqualTo(503);
      assertThat(during.body()).startsWith("RESTORING: ");
      releaseRestore.countDown();

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(countsVia(serverA)).isEqualTo(expected));
    } finally {
      releaseRestore.countDown();
    }
  }

  private static WeirApplication instance(KafkaCluster kafka, Path stateDir, CountServer server) {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "click-counts-it");
    config.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 1);
    config.put(WeirConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + server.port());
    return new WeirApplication(ClickCounts.topology("clicks", "click-counts"), config);
  }

  /** User {@code i} clicks {@code i + 1} times, interleaved. */
  private static Map<String, Long> produceClicks(KafkaCluster kafka) throws Exception {
    Map<String, Long> expected = new TreeMap<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new StringSerializer())) {
      List<Future<?>> sends = new ArrayList<>();
      for (int round = 0; round < USERS; round++) {
        for (int i = round; i < USERS; i++) {
          String user = "user-" + i;
          sends.add(producer.send(new ProducerRecord<>("clicks", user, "/page-" + round)));
          expected.merge(user, 1L, Long::sum);
        }
      }
      for (Future<?> f : sends) {
        f.get();
      }
    }
    return expected;
  }

  /** Every user's count as one server answers it, following redirects; 200s only. */
  private static Map<String, Long> countsVia(CountServer server) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (int i = 0; i < USERS; i++) {
      HttpResponse<String> r = get(server, "user-" + i);
      if (r.statusCode() == 200) {
        out.put("user-" + i, Long.parseLong(r.body()));
      }
    }
    return out;
  }

  private static HttpResponse<String> get(CountServer server, String user) throws Exception {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/count/" + user))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String userOnPartition(WeirApplication app, Map<String, Long> users, int p) {
    for (String user : users.keySet()) {
      if (app.queryMetadataForKey(ClickCounts.UID, user, new StringSerializer()).partition() == p) {
        return user;
      }
    }
    throw new AssertionError("no user on partition " + p);
  }
}
