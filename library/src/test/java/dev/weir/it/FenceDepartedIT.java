package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Design record 017: an instance killed with SIGKILL while its transaction is open is fenced by the
 * survivor that takes over its tasks, so the transaction aborts at once. The transaction timeout is
 * ten minutes here: without the fencing, the output partition the open transaction wrote stays
 * unreadable for read_committed readers (and the count's input with it) far beyond the test's
 * deadline, and the whole output below never arrives.
 */
class FenceDepartedIT {
  private static final String APP = "fence";
  private static final int TOTAL = 2_000;
  private static final int KEYS = 16;

  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String name, String... jvmOptions)
      throws Exception {
    List<String> options = new ArrayList<>(List.of(jvmOptions));
    options.add("-Dweir.it.config.producer.transaction.timeout.ms=600000");
    return CrashRuns.start(
        PipelineMain.class,
        "fence-" + name,
        List.of(bootstrap, APP, tmp.resolve(name).toString(), "fence-in", "fence-out", "count"),
        options.toArray(String[]::new));
  }

  @Test
  void survivorFencesTheKilledInstancesOpenTransaction() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("fence-in", 4);
      kafka.createTopic("fence-out", 4);
      Path gate = tmp.resolve("gate-reached");
      List<JavaProcess> all = new ArrayList<>();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bs))) {
        // a holds the first record of seq >= 600 it counts, with that record's output sent: its
        // transaction stays open until it is killed.
        JavaProcess a = instance(bs, "a", "-Dweir.it.gateFrom=600", "-Dweir.it.gateFile=" + gate);
        all.add(a);
        JavaProcess b = instance(bs, "b");
        all.add(b);
        // Input goes in only once each instance runs its half of the tasks: an instance that
        // joined first would otherwise count everything before the other one is given any task.
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> runsHalfWithCounts(a) && runsHalfWithCounts(b));
        Pipelines.produce(bs, "fence-in", 0, TOTAL, KEYS);
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(gate));
        String aInstance =
            Files.readString(tmp.resolve("a").resolve(APP).resolve("instance.id")).trim();
        String aPrefix = APP + "-" + aInstance + "-";
        // The held output reached the broker: a's transaction is open there.
        await().atMost(Duration.ofSeconds(30)).until(() -> !ongoing(admin, aPrefix).isEmpty());
        List<String> open = ongoing(admin, aPrefix);
        a.kill();

        long killed = System.nanoTime();
        List<String> out = Pipelines.readCommitted(bs, "fence-out", TOTAL, Duration.ofSeconds(90));
        long seconds = (System.nanoTime() - killed) / 1_000_000_000L;
        System.out.println("FenceDepartedIT: whole output read " + seconds + " s after the kill");
        assertThat(Pipelines.countProblems(out, TOTAL, KEYS)).isEmpty();
        assertThat(out).hasSize(TOTAL);
        // b fenced exactly the transactional ids a left open, and said so.
        assertThat(ongoing(admin, aPrefix)).isEmpty();
        String bLog = Files.readString(b.logFile(), StandardCharsets.UTF_8);
        for (String id : open) {
          assertThat(bLog).contains("fenced transactional id " + id + " ");
        }
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }

  private static final Pattern TASKS =
      Pattern.compile(
          ": (?:assigned tasks \\[(.*)\\]; restoring \\[(.*)\\]"
              + "|restored tasks \\[.*\\]; running \\[(.*)\\], restoring \\[(.*)\\])$");

  /**
   * Whether the instance's last task line says it runs four tasks (half of the eight), one of them
   * a count task (sub-topology 1), with none restoring.
   */
  private static boolean runsHalfWithCounts(JavaProcess p) throws Exception {
    String running = null;
    String restoring = null;
    for (String line : Files.readAllLines(p.logFile(), StandardCharsets.UTF_8)) {
      Matcher m = TASKS.matcher(line);
      if (m.find()) {
        running = m.group(1) != null ? m.group(1) : m.group(3);
        restoring = m.group(1) != null ? m.group(2) : m.group(4);
      }
    }
    return running != null
        && restoring.isEmpty()
        && running.split(", ").length == 4
        && running.contains("1_");
  }

  private static List<String> ongoing(Admin admin, String prefix) throws Exception {
    List<String> ids = new ArrayList<>();
    for (TransactionListing t :
        admin
            .listTransactions(
                new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
            .all()
            .get()) {
      if (t.transactionalId().startsWith(prefix)) {
        ids.add(t.transactionalId());
      }
    }
    return ids;
  }
}
