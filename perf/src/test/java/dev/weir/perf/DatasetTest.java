package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The data set is deterministic and the checkers accept exactly the expected outputs. */
class DatasetTest {
  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % Dataset.HOUR_MS;

  private static List<byte[]> values(Dataset d) {
    List<byte[]> v = new ArrayList<>();
    d.generate((partition, timestamp, value) -> v.add(value));
    return v;
  }

  @Test
  void sameSizesSameContent() {
    List<byte[]> a = values(new Dataset(5_000, 100, 4, T0));
    List<byte[]> b = values(new Dataset(5_000, 100, 4, T0));
    assertThat(a).hasSize(5_000);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).isEqualTo(b.get(i));
    }
    assertThat(new String(a.get(0), StandardCharsets.UTF_8).length()).isBetween(90, 110);
  }

  @Test
  void eventTimesSpanAnHourWithBoundedDisorderAndSomeLateRecords() {
    Dataset d = new Dataset(20_000, 100, 4, T0);
    long[] maxSeen = new long[4];
    int[] late = {0};
    long[] disorder = {0};
    d.generate(
        (p, ts, v) -> {
          if (ts < maxSeen[p] - Dataset.HOUR_MS) {
            late[0]++;
            return;
          }
          disorder[0] = Math.max(disorder[0], maxSeen[p] - ts);
          maxSeen[p] = Math.max(maxSeen[p], ts);
        });
    assertThat(disorder[0]).isLessThan(Dataset.MAX_DISORDER_MS);
    assertThat(late[0]).isPositive().isEqualTo(d.w2Dropped());
    assertThat(maxSeen[0] - T0).isBetween(Dataset.HOUR_MS - 10_000, Dataset.HOUR_MS + 5_000);
  }

  @Test
  void w1CheckerAcceptsTheExpectedOutputAndFlagsDuplicatesAndChanges() {
    Dataset d = new Dataset(2_000, 50, 2, T0);
    List<byte[]> outputs = new ArrayList<>();
    d.generate(
        (p, ts, v) -> {
          Event e = Event.parse(new String(v, StandardCharsets.UTF_8));
          if (e.keep()) {
            outputs.add(e.enrich().getBytes(StandardCharsets.UTF_8));
          }
        });
    W1Checker ok = new W1Checker(d);
    outputs.forEach(v -> ok.accept(null, v));
    assertThat(ok.complete()).isTrue();
    assertThat(ok.verdict(true, 0).ok()).as(ok.verdict(true, 0).summary()).isTrue();

    W1Checker dup = new W1Checker(d);
    outputs.forEach(v -> dup.accept(null, v));
    dup.accept(null, outputs.get(3));
    assertThat(dup.verdict(true, 0).ok()).isFalse();
    assertThat(dup.verdict(false, 0).ok()).isTrue();

    W1Checker changed = new W1Checker(d);
    byte[] first = outputs.get(0).clone();
    first[first.length - 1] ^= 1;
    changed.accept(null, first);
    outputs.subList(1, outputs.size()).forEach(v -> changed.accept(null, v));
    assertThat(changed.verdict(true, 0).summary()).contains("content hash differs");
  }

  @Test
  void w2ExpectsOneResultPerNonEmptyWindowAndNoneForLateRecords() {
    Dataset d = new Dataset(20_000, 100, 4, T0);
    d.generate((p, ts, v) -> {});
    long counted = 0;
    for (int k = 0; k < d.keys(); k++) {
      for (int w = 0; w < d.windows(); w++) {
        counted += d.w2Count(k, w);
      }
    }
    assertThat(counted + d.w2Dropped()).isEqualTo(20_000);
    assertThat(d.w2Cells()).isPositive().isLessThanOrEqualTo(counted);
  }

  @Test
  void aKeyedDataSetHasTheSameRecordsEachInItsKeysPartitionInOrder() {
    List<byte[]> plain = values(new Dataset(5_000, 100, 4, T0));
    Dataset d = new Dataset(5_000, 100, 4, T0, true);
    List<byte[]> keyed = new ArrayList<>();
    Map<String, Integer> partitionOfKey = new HashMap<>();
    long[] maxSeen = new long[4];
    long[] disorder = {0};
    d.generate(
        (p, ts, k, v) -> {
          keyed.add(v);
          String key = new String(k, StandardCharsets.UTF_8);
          assertThat(key).isEqualTo(Event.parse(new String(v, StandardCharsets.UTF_8)).key());
          // The partition Kafka's producer would choose for the key.
          assertThat(p).isEqualTo(BuiltInPartitioner.partitionForKey(k, 4));
          assertThat(partitionOfKey.computeIfAbsent(key, x -> p)).isEqualTo(p);
          if (ts >= maxSeen[p] - Dataset.HOUR_MS) {
            disorder[0] = Math.max(disorder[0], maxSeen[p] - ts);
            maxSeen[p] = Math.max(maxSeen[p], ts);
          }
        });
    assertThat(keyed).hasSize(plain.size());
    for (int i = 0; i < keyed.size(); i++) {
      assertThat(keyed.get(i)).isEqualTo(plain.get(i));
    }
    assertThat(partitionOfKey).hasSize(100);
    assertThat(partitionOfKey.values()).contains(0, 1, 2, 3);
    assertThat(disorder[0]).isLessThan(Dataset.MAX_DISORDER_MS);
  }

  @Test
  void flushRecordsCarryTheirKeysOnlyInAKeyedDataSet() {
    List<String> keyed = new ArrayList<>();
    List<Integer> partitions = new ArrayList<>();
    new Dataset(100, 10, 2, T0, true)
        .flushRecords(
            (p, ts, k, v) -> {
              keyed.add(new String(k, StandardCharsets.UTF_8));
              partitions.add(p);
            });
    assertThat(keyed).hasSize(2 * Dataset.FLUSH_KEYS).startsWith("f00", "f01").endsWith("f63");
    assertThat(partitions.subList(0, Dataset.FLUSH_KEYS)).containsOnly(0);
    assertThat(partitions.subList(Dataset.FLUSH_KEYS, partitions.size())).containsOnly(1);
    new Dataset(100, 10, 2, T0).flushRecords((p, ts, k, v) -> assertThat(k).isNull());
  }

  /** The outputs a correct W2 or W2K contender writes for a data set, as key and value bytes. */
  private static Map<String, byte[]> w2Outputs(Dataset d) {
    Map<String, byte[]> out = new HashMap<>();
    for (int k = 0; k < d.keys(); k++) {
      for (int w = 0; w < d.windows(); w++) {
        int count = d.w2Count(k, w);
        if (count > 0) {
          long start = d.t0() + w * Dataset.WINDOW_MS;
          out.put(d.keyName(k) + "@" + start, ByteBuffer.allocate(8).putLong(count).array());
        }
      }
    }
    return out;
  }

  @Test
  void w2CheckerJudgesAKeyedDataSetsOutputAsW2s() {
    Dataset d = new Dataset(20_000, 100, 4, T0, true);
    d.generate((p, ts, k, v) -> {});
    Map<String, byte[]> outputs = w2Outputs(d);
    assertThat((long) outputs.size()).isEqualTo(d.w2Cells());

    W2Checker ok = new W2Checker(d);
    outputs.forEach((k, v) -> ok.accept(k.getBytes(StandardCharsets.UTF_8), v));
    // A flush key's window is ignored.
    ok.accept(
        "f07@123".getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(1).array());
    assertThat(ok.complete()).isTrue();
    assertThat(ok.verdict(true, 0))
        .isEqualTo(new OutputChecker.Verdict(true, "ok: " + d.w2Cells() + " outputs"));

    W2Checker wrong = new W2Checker(d);
    String first = outputs.keySet().iterator().next();
    long count = ByteBuffer.wrap(outputs.get(first)).getLong();
    outputs.forEach(
        (k, v) ->
            wrong.accept(
                k.getBytes(StandardCharsets.UTF_8),
                k.equals(first) ? ByteBuffer.allocate(8).putLong(count + 1).array() : v));
    wrong.accept(first.getBytes(StandardCharsets.UTF_8), outputs.get(first));
    assertThat(wrong.verdict(true, 0))
        .isEqualTo(
            new OutputChecker.Verdict(
                false,
                "wrong=1 (first: "
                    + first
                    + "="
                    + (count + 1)
                    + ", expected "
                    + count
                    + "); duplicates=1"));
    assertThat(wrong.verdict(false, 0).summary())
        .isEqualTo("wrong=1 (first: " + first + "=" + (count + 1) + ", expected " + count + ")");
  }
}
