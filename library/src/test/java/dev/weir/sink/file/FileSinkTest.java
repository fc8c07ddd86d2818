package dev.weir.sink.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.sink.TwoPhaseCommitSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sink's side of the two-phase-commit contract, driven the way the runtime drives it: a
 * crash is a fresh copy of the sink that restores from the last committed handle (serialised and
 * read back, as from the changelog). Every test asserts the whole directory: finished files and
 * their contents, and that no hidden file is left where a restore ran.
 */
class FileSinkTest {
  @TempDir Path dir;

  private long now = 1_000;
  private long seq;

  /** A task's copy of the sink, opened. */
  private FileSink<String> open(FileSink<String> sink) throws Exception {
    @SuppressWarnings("unchecked")
    FileSink<String> copy = (FileSink<String>) copyOf(sink);
    copy.open(context());
    return copy;
  }

  private static Object copyOf(Object o) throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b.toByteArray()))) {
      return in.readObject();
    }
  }

  private FileSink<String> sink(RollingPolicy policy) {
    return FileSink.forRowFormat(dir.toString(), new SimpleStringEncoder<String>())
        .withBucketAssigner((v, c) -> v.substring(0, 1))
        .withRollingPolicy(policy)
        .build();
  }

  private static RollingPolicy everyMinute() {
    return DefaultRollingPolicy.builder()
        .withRolloverInterval(Duration.ofMinutes(1))
        .withInactivityInterval(Duration.ofMinutes(1))
        .build();
  }

  private FileTransaction transaction(FileSink<String> s, String... values) throws Exception {
    FileTransaction t = s.beginTransaction();
    seq++;
    for (String v : values) {
      s.invoke(t, v, invokeContext());
    }
    return t;
  }

  /** What goes into and comes back from the changelog. */
  private static FileTransaction recorded(FileTransaction t) {
    byte[] b = FileTransaction.serde().serializer().serialize("t", t);
    return FileTransaction.serde().deserializer().deserialize("t", b);
  }

  private FileTransaction commitAll(FileSink<String> s, String... values) throws Exception {
    FileTransaction t = transaction(s, values);
    s.preCommit(t);
    FileTransaction h = recorded(t);
    s.commit(t);
    return h;
  }

  /** A crash and restore: a new copy recovers from the last committed handle. */
  private FileSink<String> restore(FileSink<String> sink, FileTransaction committed)
      throws Exception {
    FileSink<String> s = open(sink);
    if (committed != null) {
      s.recoverAndCommit(committed);
    }
    s.recoverAndAbort(context(), committed == null ? List.of() : List.of(committed));
    return s;
  }

  @Test
  void partsBecomeVisibleOnlyWhenEndedAndCommitted() throws Exception {
    FileSink<String> s = open(sink(everyMinute()));
    FileTransaction t = transaction(s, "a1", "b1", "a2");
    s.preCommit(t);
    s.commit(t);
    assertThat(finished()).isEmpty(); // still in progress: nothing visible

    now += 60_000;
    FileTransaction t2 = transaction(s, "a3");
    assertThat(t2.pendingFiles()).containsExactly("a/part-0-0"); // rolled on the event
    s.preCommit(t2); // b's part is inactive: ended too
    assertThat(finished()).isEmpty(); // pending until the commit
    s.commit(t2);

    assertThat(finished())
        .containsExactly(Map.entry("a/part-0-0", "a1\na2\n"), Map.entry("b/part-0-1", "b1\n"));
    assertThat(hidden()).containsExactly("a/.part-0-2.inprogress");
  }

  @Test
  void rollsBySize() throws Exception {
    FileSink<String> s =
        open(
            sink(
                DefaultRollingPolicy.builder()
                    .withMaxPartSize(6)
                    .withRolloverInterval(Duration.ofHours(1))
                    .build()));
    commitAll(s, "a1", "a2", "a3", "a4", "a5");
    assertThat(finished())
        .containsExactly(Map.entry("a/part-0-0", "a1\na2\n"), Map.entry("a/part-0-1", "a3\na4\n"));
    assertThat(hidden()).containsExactly("a/.part-0-2.inprogress");
  }

  @Test
  void aCrashAfterPreCommitKeepsOnlyTheCommittedPrefixOfAPart() throws Exception {
    FileSink<String> sink = sink(everyMinute());
    FileSink<String> s = open(sink);
    FileTransaction h1 = commitAll(s, "a1", "b1");
    FileTransaction t2 = transaction(s, "a2", "c1");
    s.preCommit(t2); // the Kafka transaction recording t2 never commits

    FileSink<String> r = restore(sink, h1);

    assertThat(finished())
        .containsExactly(Map.entry("a/part-0-0", "a1\n"), Map.entry("b/part-0-1", "b1\n"));
    assertThat(hidden()).isEmpty();
    // Part numbers go on after every finished part: nothing is overwritten.
    FileTransaction t3 = transaction(r, "a2");
    now += 60_000;
    r.preCommit(t3);
    r.commit(t3);
    assertThat(finished()).containsEntry("a/part-0-2", "a2\n").hasSize(3);
  }

  @Test
  void aCrashAfterTheKafkaCommitBeforeTheFileCommitFinishesThePendingParts() throws Exception {
    FileSink<String> sink = sink(DefaultRollingPolicy.builder().withMaxPartSize(1).build());
    FileSink<String> s = open(sink);
    FileTransaction t = transaction(s, "a1", "a2");
    s.preCommit(t);
    FileTransaction h = recorded(t); // the Kafka commit recorded it; the process dies now

    restore(sink, h);

    assertThat(finished())
        .containsExactly(Map.entry("a/part-0-0", "a1\n"), Map.entry("a/part-0-1", "a2\n"));
    assertThat(hidden()).isEmpty();
  }

  @Test
  void aCrashBeforeAnyCommitLeavesNothing() throws Exception {
    FileSink<String> sink = sink(DefaultRollingPolicy.builder().withMaxPartSize(1).build());
    FileSink<String> s = open(sink);
    FileTransaction t = transaction(s, "a1", "a2", "b1");
    s.preCommit(t);

    restore(sink, null);

    assertThat(finished()).isEmpty();
    assertThat(hidden()).isEmpty();
  }

  @Test
  void commitAndRecoveryAreIdempotent() throws Exception {
    FileSink<String> sink = sink(everyMinute());
    FileSink<String> s = open(sink);
    FileTransaction h1 = commitAll(s, "a1");
    now += 60_000;
    FileTransaction t2 = transaction(s, "b1");
    s.preCommit(t2);
    FileTransaction h2 = recorded(t2);
    s.commit(t2);
    s.commit(t2);

    restore(sink, h2);
    restore(sink, h2); // a crash during or after recovery: the same handle again

    assertThat(finished())
        .containsExactly(Map.entry("a/part-0-0", "a1\n"), Map.entry("b/part-0-1", "b1\n"));
    assertThat(hidden()).isEmpty();
    assertThat(h1.inProgressFiles()).containsExactly(Map.entry("a/part-0-0", 3L));
  }

  @Test
  void aCleanCloseAfterTheCommitFinishesTheOpenParts() throws Exception {
    FileSink<String> sink = sink(everyMinute());
    FileSink<String> s = open(sink);
    FileTransaction h = commitAll(s, "a1", "b1");
    s.close();
    assertThat(finished())
        .containsExactly(Map.entry("a/part-0-0", "a1\n"), Map.entry("b/part-0-1", "b1\n"));

    restore(sink, h); // the last handle still lists them in progress: finishing again is a no-op
    assertThat(finished()).hasSize(2);
    assertThat(hidden()).isEmpty();
  }

  @Test
  void aCloseWithAnUncommittedTransactionFinishesNothing() throws Exception {
    FileSink<String> sink = sink(everyMinute());
    FileSink<String> s = open(sink);
    FileTransaction h = commitAll(s, "a1");
    FileTransaction t = transaction(s, "a2");
    s.abort(t);
    s.close();
    assertThat(finished()).isEmpty();

    restore(sink, h);
    assertThat(finished()).containsExactly(Map.entry("a/part-0-0", "a1\n"));
    assertThat(hidden()).isEmpty();
  }

  @Test
  void anotherTasksPartsAreNotTouched() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("a")).resolve(".part-1-0.inprogress");
    Files.writeString(foreign, "x\n");
    restore(sink(everyMinute()), null);
    assertThat(hidden()).containsExactly("a/.part-1-0.inprogress");
  }

  @Test
  void aRecordTheEncoderRejectsWritesNothing() throws Exception {
    FileSink<String> s = open(sink(everyMinute()));
    FileTransaction t = transaction(s, "a1");
    assertThatThrownBy(() -> s.invoke(t, "a\nb", invokeContext()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line break");
    s.invoke(t, "a2", invokeContext());
    now += 60_000;
    s.preCommit(t);
    s.commit(t);
    assertThat(finished()).containsExactly(Map.entry("a/part-0-0", "a1\na2\n"));
  }

  @Test
  void jsonLinesRejectsMultiLineDocuments() throws Exception {
    JsonLinesEncoder<String> json = JsonLinesEncoder.of(v -> v.getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    json.encode("{\"a\":1}", out);
    assertThatThrownBy(() -> json.encode("{\n\"a\":1}", out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one document per line");
    assertThatThrownBy(() -> json.encode("", out)).hasMessageContaining("empty");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n");
  }

  @Test
  void dateTimeBucketsAreHourlyByDefault() {
    BucketAssigner.Context c =
        new BucketAssigner.Context() {
          @Override
          public long timestamp() {
            return 1_700_000_000_000L; // 2023-11-14T22:13:20Z
          }

          @Override
          public long currentWatermark() {
            return Long.MIN_VALUE;
          }

          @Override
          public long currentProcessingTime() {
            return 0;
          }
        };
    assertThat(new DateTimeBucketAssigner<String>().getBucketId("x", c))
        .isEqualTo("1970-01-01--00");
    assertThat(DateTimeBucketAssigner.<String>eventTime("yyyy-MM-dd--HH").getBucketId("x", c))
        .isEqualTo("2023-11-14--22");
  }

  private Map<String, String> finished() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().startsWith(".")) {
          out.put(dir.relativize(p).toString(), Files.readString(p));
        }
      }
    }
    return out;
  }

  private List<String> hidden() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().startsWith("."))
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private TwoPhaseCommitSink.Context invokeContext() {
    return new TwoPhaseCommitSink.Context() {
      @Override
      public long timestamp() {
        return 0;
      }

      @Override
      public long currentWatermark() {
        return Long.MIN_VALUE;
      }

      @Override
      public long currentProcessingTime() {
        return now;
      }
    };
  }

  private TwoPhaseCommitSink.InitContext context() {
    return new TwoPhaseCommitSink.InitContext() {
      @Override
      public String applicationId() {
        return "app";
      }

      @Override
      public String taskId() {
        return "0_0";
      }

      @Override
      public String sinkName() {
        return "files";
      }

      @Override
      public int subtaskIndex() {
        return 0;
      }

      @Override
      public int numberOfParallelSubtasks() {
        return 2;
      }

      @Override
      public String transactionIdPrefix() {
        return "app-files-0_0";
      }

      @Override
      public long transactionSequence() {
        return seq;
      }

      @Override
      public long currentProcessingTime() {
        return now;
      }
    };
  }
}
