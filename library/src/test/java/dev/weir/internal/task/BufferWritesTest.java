package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The write set of a segmented buffer (design record 026), alone. */
class BufferWritesTest {
  private static byte[] key(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static BufferWrites.Entry entry(String storeKey, long time, boolean inStore) {
    return new BufferWrites.Entry(key(storeKey), time, key("v" + time), inStore);
  }

  private static List<String> visited(BufferWrites w) {
    List<String> out = new ArrayList<>();
    w.forEach((k, v) -> out.add(new String(k, java.nio.charset.StandardCharsets.US_ASCII)));
    return out;
  }

  @Test
  void segmentsAscendingEachInTheOrderItsEntriesWereFirstWritten() {
    BufferWrites w = new BufferWrites();
    w.insert(2, w.entriesFor(2, key("a")), entry("s2-a-25", 25, false));
    w.insert(1, w.entriesFor(1, key("b")), entry("s1-b-17", 17, false));
    w.insert(2, w.entriesFor(2, key("a")), entry("s2-a-21", 21, true));
    w.insert(1, w.entriesFor(1, key("a")), entry("s1-a-12", 12, false));
    assertThat(visited(w)).containsExactly("s1-b-17", "s1-a-12", "s2-a-25", "s2-a-21");
    assertThat(w.entries(2, key("a"), BufferWrites.fingerprint(key("a"))))
        .extracting(e -> e.time)
        .containsExactly(21L, 25L);
    assertThat(w.entries(2, key("b"), BufferWrites.fingerprint(key("b")))).isNull();
    assertThat(w.entries(3, key("a"), BufferWrites.fingerprint(key("a")))).isNull();
    assertThat(w.segmentFrom(2)).isEqualTo(2L);
    assertThat(w.segmentFrom(3)).isNull();
    assertThat(w.count()).isEqualTo(4);
    List<String> replaced = new ArrayList<>();
    w.forEachReplacedKey(
        k -> replaced.add(new String(k, java.nio.charset.StandardCharsets.US_ASCII)));
    assertThat(replaced).containsExactly("s2-a-21"); // the only one the store held
    long before = w.bytes();
    w.replace(
        w.entries(1, key("a"), BufferWrites.fingerprint(key("a"))).get(0), key("longer value"));
    assertThat(w.bytes()).isEqualTo(before + "longer value".length() - "v12".length());

    // Only entries the store did not hold count: the store's range delete counts the others.
    assertThat(w.dropThrough(2)).isEqualTo(3);
    assertThat(w.count()).isZero();
    assertThat(w.bytes()).isZero();
    assertThat(visited(w)).isEmpty();
  }

  @Test
  void aCommitRemembersItsKeysPerSegmentUntilTheSegmentIsDropped() {
    BufferWrites w = new BufferWrites();
    w.insert(1, w.entriesFor(1, key("a")), entry("s1-a-12", 12, false));
    w.insert(2, w.entriesFor(2, key("a")), entry("s2-a-21", 21, false));
    w.committed();
    assertThat(w.count()).isZero();
    assertThat(visited(w)).isEmpty();
    assertThat(w.mayHaveCommitted(1, BufferWrites.fingerprint(key("s1-a-12")))).isTrue();
    assertThat(w.mayHaveCommitted(2, BufferWrites.fingerprint(key("s2-a-21")))).isTrue();
    assertThat(w.mayHaveCommitted(2, BufferWrites.fingerprint(key("s1-a-12")))).isFalse();
    // The keys alone too, per segment (design record 028).
    assertThat(w.mayHaveCommittedKey(1, BufferWrites.fingerprint(key("a")))).isTrue();
    assertThat(w.mayHaveCommittedKey(2, BufferWrites.fingerprint(key("a")))).isTrue();
    assertThat(w.mayHaveCommittedKey(3, BufferWrites.fingerprint(key("a")))).isFalse();
    assertThat(w.mayHaveCommittedKey(1, BufferWrites.fingerprint(key("b")))).isFalse();
    w.insert(3, w.entriesFor(3, key("a")), entry("s3-a-30", 30, false));
    w.aborted();
    assertThat(w.mayHaveCommitted(3, BufferWrites.fingerprint(key("s3-a-30")))).isFalse();
    assertThat(w.mayHaveCommittedKey(3, BufferWrites.fingerprint(key("a")))).isFalse();
    assertThat(w.mayHaveCommitted(1, BufferWrites.fingerprint(key("s1-a-12")))).isTrue();
    w.dropThrough(1);
    assertThat(w.mayHaveCommitted(1, BufferWrites.fingerprint(key("s1-a-12")))).isFalse();
    assertThat(w.mayHaveCommittedKey(1, BufferWrites.fingerprint(key("a")))).isFalse();
    assertThat(w.mayHaveCommittedKey(2, BufferWrites.fingerprint(key("a")))).isTrue();
    assertThat(w.mayHaveCommitted(2, BufferWrites.fingerprint(key("s2-a-21")))).isTrue();
  }

  @Test
  void theCommittedFingerprintsAreBoundedByTheLiveSegmentsHoweverLongTheRun() {
    // A join buffer's pattern: each commit adds entries of new keys to the newest segments, and
    // event time drops the oldest; what the buffer remembers of its commits must stay that of the
    // live segments, not grow with the run (issue #15's RSS question).
    BufferWrites w = new BufferWrites();
    int live = 4;
    int perSegmentAndCommit = 50;
    long most = 0;
    for (long segment = 0; segment < 2_000; segment++) {
      for (int commit = 0; commit < 3; commit++) {
        for (int i = 0; i < perSegmentAndCommit; i++) {
          String k = "k" + (segment * 1_000 + commit * 100 + i);
          long time = segment * 10 + commit;
          w.insert(segment, w.entriesFor(segment, key(k)), entry(k + "-" + time, time, false));
        }
        w.committed();
      }
      if (segment >= live) {
        w.dropThrough(segment - live);
      }
      assertThat(w.committedSegments()).isLessThanOrEqualTo(live);
      most = Math.max(most, w.committedFingerprints());
    }
    // Per live segment 150 entry keys and 150 keys, nothing more.
    assertThat(most).isEqualTo(live * 3L * perSegmentAndCommit * 2);
    assertThat(w.committedFingerprints()).isEqualTo(most);
    w.dropThrough(1_999);
    assertThat(w.committedSegments()).isZero();
    assertThat(w.committedFingerprints()).isZero();
  }

  @Test
  void theFingerprintSetKeepsEveryValueThroughItsGrowth() {
    BufferWrites.LongSet set = new BufferWrites.LongSet();
    for (long v = 1; v <= 10_000; v++) {
      set.add(v * 0x9e3779b97f4a7c15L | 1);
    }
    for (long v = 1; v <= 10_000; v++) {
      assertThat(set.contains(v * 0x9e3779b97f4a7c15L | 1)).isTrue();
      assertThat(set.contains(v * 0x9e3779b97f4a7c15L & ~1L | 2)).isFalse();
    }
    assertThat(BufferWrites.fingerprint(new byte[0])).isNotZero();
  }
}
