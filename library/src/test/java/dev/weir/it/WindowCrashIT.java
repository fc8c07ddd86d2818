package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event-time windows under a crash, on a real broker: 4 source partitions (one silent, so only
 * idleness lets the watermark advance), a keyBy to 4 downstream tasks, one-second tumbling windows
 * counting per key, exactly-once. The instance is killed with SIGKILL in the middle and restarted;
 * the output must equal the failure-free result computed from the input: every window once, with
 * its full count (a watermark that went backwards or forwards across the restart would change which
 * records count).
 */
class WindowCrashIT {
  private static final int KEYS = 20;
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String mode) throws Exception {
    return JavaProcess.builder(WindowCountMain.class)
        .name("windows")
        .args(bootstrap, tmp.resolve("state").toString(), "win-in", "win-out", mode)
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
        .logFile(Path.of("target", "it-logs", "windows-" + System.nanoTime() + ".log"))
        .start();
  }

  /** Record i: key k(i % KEYS), event time T0 + i * 10 ms, to partition i % 3 (3 stays silent). */
  private static void produce(String bootstrap, int from, int to, Map<String, Long> expected) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        String key = "k" + (i % KEYS);
        long ts = T0 + i * 10L;
        p.send(new ProducerRecord<>("win-in", i % 3, ts, key, key + ":" + i));
        long windowStart = ts - Math.floorMod(ts, 1000L);
        expected.merge(key + "@" + windowStart, 1L, Long::sum);
      }
      p.flush();
    }
  }

  /**
   * {@code aggregate}: the window keeps a count; {@code contents}: it keeps its records in a list,
   * logged in batches (design record 032), and counts them when it fires.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"aggregate", "contents"})
  void windowCountsAfterAKillEqualTheFailureFreeResult(String mode) throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("win-in", 4);
      kafka.createTopic("win-out", 4);
      Map<String, Long> expected = new TreeMap<>();
      List<JavaProcess> all = new ArrayList<>();
      try {
        JavaProcess a = instance(bs, mode);
        all.add(a);
        produce(bs, 0, 3_000, expected); // 30 s of event time
        // Some windows came out: the watermark crossed the repartition topic, with partition 3
        // silent (idle after 2 s at its end).
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> !Pipelines.readCommitted(bs, "win-out", 1, Duration.ofSeconds(2)).isEmpty());
        a.kill();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        produce(bs, 3_000, 6_000, expected);
        JavaProcess a2 = instance(bs, mode);
        all.add(a2);
        // The last second of event time never closes; expect every other window.
        long lastWindow = T0 + 5_999 * 10L - Math.floorMod(T0 + 5_999 * 10L, 1000L);
        expected
            .keySet()
            .removeIf(k -> Long.parseLong(k.substring(k.indexOf('@') + 1)) >= lastWindow - 1000);
        List<String> out =
            Pipelines.readCommitted(bs, "win-out", expected.size(), Duration.ofSeconds(120));
        Map<String, Long> actual = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        for (String v : out) {
          String window = v.substring(0, v.indexOf('='));
          if (actual.put(window, Long.parseLong(v.substring(v.indexOf('=') + 1))) != null) {
            duplicates.add(v);
          }
        }
        assertThat(duplicates).as("windows emitted twice").isEmpty();
        actual.keySet().retainAll(expected.keySet());
        assertThat(actual).isEqualTo(expected);
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }
}
