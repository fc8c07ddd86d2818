package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover to a standby replica (issue 19, done-when b): two instances of the running count with
 * {@code num.standby.replicas=1}, state for many keys, then {@code kill -9} of the instance running
 * the stateful task. The task must run on the other instance, which held its standby, after
 * restoring only the changelog tail its copy had not read (asserted on the restored-record count,
 * far below the state's size), and the output must be exactly once. The number of keys is {@code
 * -Dweir.it.standbyKeys} (20,000 by default, ten times the tail, so a full restore could not pass;
 * the 1,000,000 by hand).
 */
class StandbyFailoverIT {
  private static final int KEYS = Integer.getInteger("weir.it.standbyKeys", 20_000);
  private static final int TAIL = 2_000;
  private static final Pattern METRICS =
      Pattern.compile(
          "METRICS tasks=(-?\\d+) standby=(-?\\d+) restored=(-?\\d+) applied=(-?\\d+) state=(\\w+)"
              + " removed=(-?\\d+)");

  @TempDir Path tmp;

  /**
   * The last metrics line a child printed: tasks, standbys, restored, standby-applied, running (1
   * or 0), peers removed.
   */
  static long[] metrics(JavaProcess p) throws Exception {
    long[] last = null;
    for (String line : Files.readAllLines(p.logFile())) {
      Matcher m = METRICS.matcher(line);
      if (m.matches()) {
        last =
            new long[] {
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              Long.parseLong(m.group(3)),
              Long.parseLong(m.group(4)),
              m.group(5).equals("RUNNING") ? 1 : 0,
              Long.parseLong(m.group(6))
            };
      }
    }
    return last == null ? new long[] {-1, -1, -1, -1, 0, -1} : last;
  }

  private JavaProcess instance(String bootstrap, String dir) throws Exception {
    return start("standby-" + dir, bootstrap, "standby-count", tmp.resolve(dir), "sb-in", "sb-out");
  }

  /**
   * Starts a {@link StandbyCountMain} child.
   *
   * @param name the child's name, also its log's
   * @param extra arguments after the topics (a static member id: the liveness test)
   */
  static JavaProcess start(
      String name,
      String bootstrap,
      String appId,
      Path stateDir,
      String in,
      String out,
      String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(bootstrap, appId, stateDir.toString(), in, out));
    args.addAll(List.of(extra));
    return JavaProcess.builder(StandbyCountMain.class)
        .name(name)
        .args(args.toArray(String[]::new))
        .jvmOptions("-Xmx512m", "-XX:+UseSerialGC")
        .logFile(Path.of("target", "it-logs", name + "-" + System.nanoTime() + ".log"))
        .start();
  }

  /**
   * Waits until both children run one task each (the stateless source, the stateful count) and one
   * holds the count's standby; returns the one running the count.
   */
  static JavaProcess awaitOneTaskEach(JavaProcess a, JavaProcess b) throws Exception {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              long[] ma = metrics(a);
              long[] mb = metrics(b);
              return ma[4] == 1 && mb[4] == 1 && ma[0] == 1 && mb[0] == 1 && ma[1] + mb[1] == 1;
            });
    return metrics(a)[1] == 0 ? a : b;
  }

  @Test
  void aKilledActiveMovesToItsStandbysInstanceWhichRestoresOnlyTheTail() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("sb-in", 1);
      kafka.createTopic("sb-out", 1);
      List<JavaProcess> all = new ArrayList<>();
      try {
        JavaProcess a = instance(bs, "a");
        JavaProcess b = instance(bs, "b");
        all.add(a);
        all.add(b);
        JavaProcess active = awaitOneTaskEach(a, b);
        JavaProcess standby = active == a ? b : a;

        long start = System.nanoTime();
        Pipelines.produce(bs, "sb-in", 0, KEYS, KEYS);
        List<String> out = Pipelines.readCommitted(bs, "sb-out", KEYS, Duration.ofSeconds(300));
        assertThat(out).hasSize(KEYS);
        // The standby applied the whole changelog: one record per key.
        await().atMost(Duration.ofSeconds(120)).until(() -> metrics(standby)[3] >= KEYS);
        long stateBuiltMs = (System.nanoTime() - start) / 1_000_000;

        // A tail the standby may not have read, then the crash.
        Pipelines.produce(bs, "sb-in", KEYS, KEYS + TAIL, KEYS);
        long killedAt = System.nanoTime();
        active.kill();
        assertThat(active.waitFor(Duration.ofSeconds(10))).isTrue();

        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () -> {
                  long[] m = metrics(standby);
                  return m[4] == 1 && m[0] == 2 && m[1] == 0;
                });
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        long restored = metrics(standby)[2];
        // Without the standby the new owner would restore all KEYS changelog records. With it,
        // only what the copy had not read: at most the tail's state changes.
        assertThat(restored).isBetween(0L, (long) TAIL);

        out = Pipelines.readCommitted(bs, "sb-out", KEYS + TAIL, Duration.ofSeconds(120));
        assertThat(Pipelines.countProblems(out, KEYS + TAIL, KEYS)).isEmpty();
        System.out.printf(
            "StandbyFailoverIT: %d keys, state built and copied in %d ms, failover to running in"
                + " %d ms, restored %d records%n",
            KEYS, stateBuiltMs, failoverMs, restored);
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }
}
