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
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interval join under a crash, on a real broker: two input topics of 4 partitions, each keyed
 * through its own repartition topic, joined within 300 ms either way, exactly-once. The instance is
 * killed with SIGKILL after some pairs were committed, more input arrives while it is down, and a
 * new instance picks up from the committed state (the buffered records of both sides and their
 * cleanup timers). The output must equal the failure-free result computed from the input: every
 * pair exactly once, nothing else.
 */
class IntervalJoinCrashIT {
  private static final int KEYS = 20;
  private static final int RECORDS = 3_000;
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap) throws Exception {
    return JavaProcess.builder(IntervalJoinMain.class)
        .name("interval-join")
        .args(bootstrap, tmp.resolve("state").toString(), "ij-left", "ij-right", "ij-out")
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
        .logFile(Path.of("target", "it-logs", "interval-join-" + System.nanoTime() + ".log"))
        .start();
  }

  /** Left record i at T0 + 10 i ms, right record i at T0 + 10 i + 5 ms; key k(i % KEYS). */
  private static long time(int i, boolean left) {
    return T0 + i * 10L + (left ? 0 : 5);
  }

  private static void produce(String bootstrap, int from, int to) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        String key = "k" + (i % KEYS);
        p.send(new ProducerRecord<>("ij-left", i % 4, time(i, true), key, key + ":" + i));
        p.send(new ProducerRecord<>("ij-right", i % 4, time(i, false), key, key + ":" + i));
      }
      p.flush();
    }
  }

  /** Every pair of a left and a right record of one key at most 300 ms apart: a plain loop. */
  private static TreeSet<String> expectedPairs() {
    TreeSet<String> out = new TreeSet<>();
    long bound = IntervalJoinMain.BOUND.toMillis();
    for (int l = 0; l < RECORDS; l++) {
      for (int r = 0; r < RECORDS; r++) {
        if (l % KEYS == r % KEYS && Math.abs(time(r, false) - time(l, true)) <= bound) {
          out.add("k" + (l % KEYS) + ":" + l + ":" + r);
        }
      }
    }
    return out;
  }

  @Test
  void intervalJoinOutputAfterAKillEqualsTheFailureFreeResult() throws Exception {
    TreeSet<String> expected = expectedPairs();
    // Each left record joins the right ones 20 records before, at and after it (-195, 5, 205 ms).
    assertThat(expected).hasSize(3 * RECORDS - 2 * KEYS);
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("ij-left", 4);
      kafka.createTopic("ij-right", 4);
      kafka.createTopic("ij-out", 4);
      List<JavaProcess> all = new ArrayList<>();
      try {
        JavaProcess a = instance(bs);
        all.add(a);
        produce(bs, 0, RECORDS / 2);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> !Pipelines.readCommitted(bs, "ij-out", 1, Duration.ofSeconds(2)).isEmpty());
        a.kill();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        produce(bs, RECORDS / 2, RECORDS);
        JavaProcess a2 = instance(bs);
        all.add(a2);
        List<String> out =
            Pipelines.readCommitted(bs, "ij-out", expected.size(), Duration.ofSeconds(90));
        TreeSet<String> distinct = new TreeSet<>(out);
        assertThat(out.size() - distinct.size()).as("pairs emitted twice").isZero();
        assertThat(distinct).isEqualTo(expected);
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }
}
