package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broadcast state under crashes: a keyed rules pipeline ({@link BroadcastRulesMain}) in a child JVM
 * killed with SIGKILL while transactions are open, restarted on its state directory, then killed
 * again and replaced by an instance with an empty state directory (its tasks move). Rules arrive
 * before the start and while transactions flow. The output must equal a failure-free run: every
 * transaction once with its rank and the hits of the rules present from the start (added, replaced
 * and removed before it), and every rule record once per task (a re-read broadcast record would
 * repeat its line; a lost position or state would change the hits).
 */
class BroadcastCrashIT {
  private static final int KEYS = 20;
  private static final int BATCH = 1_000;
  private static final int TASKS = 2;

  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String dir) throws Exception {
    return JavaProcess.builder(BroadcastRulesMain.class)
        .name("rules-" + dir)
        .args(bootstrap, "broadcast-rules", tmp.resolve(dir).toString())
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
        .logFile(Path.of("target", "it-logs", "rules-" + dir + "-" + System.nanoTime() + ".log"))
        .start();
  }

  private static void running(JavaProcess p) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.readAllLines(p.logFile()).contains("STATE RUNNING"));
  }

  private static void produceRules(String bs, String... rules) {
    for (String r : rules) {
      Pipelines.produceValues(bs, "bc-rules", List.of(r));
    }
  }

  private static void killHalfway(String bs, JavaProcess p, int halfway) throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Pipelines.readCommitted(bs, "bc-out", halfway, Duration.ofSeconds(2)).size()
                    >= halfway);
    p.kill();
    assertThat(p.waitFor(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void broadcastStateAndPositionSurviveKillAndMove() throws Exception {
    List<String> rules = List.of("a:2", "b:3", "c:5", "b:7", "c:-");
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("bc-txns", TASKS);
      kafka.createTopic("bc-rules", 1);
      kafka.createTopic("bc-out", 2);
      List<String> allRules = new ArrayList<>(rules);
      List<JavaProcess> all = new ArrayList<>();
      try {
        produceRules(bs, rules.toArray(String[]::new));
        JavaProcess a = instance(bs, "a");
        all.add(a);
        running(a);
        Pipelines.produce(bs, "bc-txns", 0, BATCH, KEYS);
        produceRules(bs, "z1:0");
        allRules.add("z1:0");
        killHalfway(bs, a, BATCH / 2);
        a = instance(bs, "a");
        all.add(a);
        produceRules(bs, "z2:0");
        allRules.add("z2:0");
        Pipelines.produce(bs, "bc-txns", BATCH, 2 * BATCH, KEYS);
        killHalfway(bs, a, BATCH + BATCH / 2);
        // The tasks move: an instance with an empty state directory restores them.
        JavaProcess b = instance(bs, "b");
        all.add(b);
        produceRules(bs, "z3:0", "z1:-");
        allRules.add("z3:0");
        allRules.add("z1:-");
        Pipelines.produce(bs, "bc-txns", 2 * BATCH, 3 * BATCH, KEYS);
        int total = 3 * BATCH;
        int expected = total + allRules.size() * TASKS;
        List<String> out = Pipelines.readCommitted(bs, "bc-out", expected, Duration.ofSeconds(60));
        assertThat(problems(out, total, allRules)).isEmpty();
        assertThat(out).hasSize(expected);
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }

  /**
   * What differs from a failure-free run: transactions "k:seq:count:hits" each once with count =
   * rank within the key and hits from rules {a:2, b:7}; rule lines each once per task.
   */
  private static List<String> problems(List<String> out, int total, List<String> rules) {
    List<String> problems = new ArrayList<>();
    Map<Integer, Integer> seen = new HashMap<>();
    Map<String, Integer> ruleLines = new TreeMap<>();
    for (String v : out) {
      if (v.startsWith("rule:")) {
        ruleLines.merge(v, 1, Integer::sum);
        continue;
      }
      String[] p = v.split(":");
      int seq = Integer.parseInt(p[1]);
      if (seen.merge(seq, 1, Integer::sum) > 1) {
        problems.add("duplicated " + v);
      }
      long rank = seq / KEYS + 1;
      int hits = (seq % 2 == 0 ? 1 : 0) + (seq % 7 == 0 ? 1 : 0);
      if (Long.parseLong(p[2]) != rank || Integer.parseInt(p[3]) != hits) {
        problems.add("wrong " + v + " (expected count " + rank + ", hits " + hits + ")");
      }
    }
    for (int i = 0; i < total; i++) {
      if (!seen.containsKey(i)) {
        problems.add("lost seq " + i);
      }
    }
    Map<String, Integer> expectedRules = new TreeMap<>();
    for (String r : rules) {
      for (int t = 0; t < TASKS; t++) {
        expectedRules.put("rule:" + r + "@" + t, 1);
      }
    }
    if (!ruleLines.equals(expectedRules)) {
      problems.add("rule lines " + ruleLines + " instead of " + expectedRules);
    }
    return problems;
  }
}
