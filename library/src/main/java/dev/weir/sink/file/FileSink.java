package dev.weir.sink.file;

import dev.weir.errors.WeirException;
import dev.weir.sink.TwoPhaseCommitSink;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;

/**
 * Writes records into row-format part files under a base path, exactly once (design record 011,
 * {@code docs/sinks.md}).
 *
 * <pre>{@code
 * events.filter(e -> e.important())
 *     .sinkTo(FileSink.forRowFormat("/data/events", new SimpleStringEncoder<Event>()).build())
 *     .uid("important-events-files");
 * }</pre>
 *
 * <p>Records go into {@code <base>/<bucket>/} (the bucket from a {@link BucketAssigner}, hourly
 * {@code yyyy-MM-dd--HH} by default) into part files named {@code part-<task>-<n>}, where task is
 * the task's partition and {@code n} grows per task. A part is written hidden as {@code
 * .part-<task>-<n>.inprogress}; when the {@link RollingPolicy} ends it, it is renamed to {@code
 * .part-<task>-<n>.pending}; the commit that follows the Kafka commit renames it to its finished
 * name. Readers see only finished files, each holding only records whose input offsets are
 * committed. A part may stay in progress across commits: each pre-commit fsyncs it and records its
 * length, and a restore cuts it back to the committed length and finishes it, so a crash never
 * leaves a record twice or half a record. In-progress and pending files of this task that no
 * committed transaction knows are deleted at restore.
 *
 * <p>One base path belongs to one sink of one application: the restore deletes this task's unknown
 * in-progress files there. Time-based rolling is checked when records arrive and at every task
 * commit ({@link #wantsTransactionWithoutRecords}), so an idle part ends and becomes visible one
 * commit interval after its rollover or inactivity interval passed, with or without new records.
 *
 * <p>Threading: each task has its own copy, used by its stream thread only.
 *
 * @param <IN> the record type
 */
public final class FileSink<IN> extends TwoPhaseCommitSink<IN, FileTransaction> {
  private static final long serialVersionUID = 1L;

  private final String basePath;
  private final Encoder<IN> encoder;
  private final BucketAssigner<IN> buckets;
  private final RollingPolicy rolling;
  private final String partPrefix;
  private final String partSuffix;

  private transient PartFiles files;
  private transient InitContext context;
  private transient Map<String, Part> open;
  private transient ByteArrayOutputStream buffer;
  private transient long nextPart;

  /**
   * A transaction began and its commit has not completed: open parts may hold uncommitted bytes.
   */
  private transient boolean uncommitted;

  private FileSink(Builder<IN> b) {
    this.basePath = b.basePath;
    this.encoder = b.encoder;
    this.buckets = b.buckets;
    this.rolling = b.rolling;
    this.partPrefix = b.partPrefix;
    this.partSuffix = b.partSuffix;
  }

  /**
   * A builder of a row-format file sink.
   *
   * @param basePath the directory the buckets go under; created if missing; not null
   * @param encoder writes each record; not null
   * @param <IN> the record type
   * @return the builder, with hourly buckets and the default rolling policy
   * @throws NullPointerException when an argument is null
   */
  public static <IN> Builder<IN> forRowFormat(String basePath, Encoder<IN> encoder) {
    return new Builder<>(basePath, encoder);
  }

  /** One in-progress part of a bucket. */
  private static final class Part implements RollingPolicy.PartFileInfo {
    final String bucket;
    final String path;
    final FileChannel channel;

    /** Buffers writes so that a record is not a system call; flushed before every fsync. */
    final BufferedOutputStream out;

    final long created;
    long updated;
    long size;

    Part(String bucket, String path, FileChannel channel, long now) {
      this.bucket = bucket;
      this.path = path;
      this.channel = channel;
      this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
      this.created = now;
      this.updated = now;
    }

    @Override
    public String bucketId() {
      return bucket;
    }

    @Override
    public long creationTime() {
      return created;
    }

    @Override
    public long lastUpdateTime() {
      return updated;
    }

    @Override
    public long size() {
      return size;
    }
  }

  @Override
  public void open(InitContext context) throws Exception {
    this.context = context;
    Path base = Paths.get(basePath);
    Files.createDirectories(base);
    this.files = new PartFiles(base, partPrefix, partSuffix, context.subtaskIndex());
    this.open = new HashMap<>();
    this.buffer = new ByteArrayOutputStream(256);
    this.nextPart = 0;
  }

  @Override
  public FileTransaction beginTransaction() {
    uncommitted = true;
    return new FileTransaction(context.transactionSequence());
  }

  @Override
  public void invoke(FileTransaction txn, IN value, Context ctx) throws Exception {
    BucketAssigner.Context bucketContext =
        new BucketAssigner.Context() {
          @Override
          public long timestamp() {
            return ctx.timestamp();
          }

          @Override
          public long currentWatermark() {
            return ctx.currentWatermark();
          }

          @Override
          public long currentProcessingTime() {
            return ctx.currentProcessingTime();
          }
        };
    String bucket = buckets.getBucketId(value, bucketContext);
    checkBucket(bucket);
    buffer.reset();
    encoder.encode(value, buffer); // a rejected record throws before anything reaches the file
    long now = ctx.currentProcessingTime();
    try {
      Part part = open.get(bucket);
      if (part != null && rolling.shouldRollOnEvent(part, now)) {
        end(txn, part);
        part = null;
      }
      if (part == null) {
        String path = files.path(bucket, nextPart++);
        part = new Part(bucket, path, files.create(path), now);
        open.put(bucket, part);
      }
      buffer.writeTo(part.out);
      part.size += buffer.size();
      part.updated = now;
    } catch (IOException e) {
      // The file system failed, not the record: fail the task; the restore cuts the part back.
      throw new WeirException("File sink under " + basePath + " failed to write: " + e, e);
    }
  }

  private static void checkBucket(String bucket) {
    if (bucket == null
        || bucket.startsWith("/")
        || bucket.startsWith(".")
        || bucket.contains("/.")
        || bucket.contains("\\")) {
      throw new IllegalArgumentException(
          "bucket id '"
              + bucket
              + "' must be a relative path without '.'-prefixed parts (those are in-progress"
              + " files); fix the BucketAssigner");
    }
  }

  /** Ends a part: fsync, close, rename to pending; the transaction's commit finishes it. */
  private void end(FileTransaction txn, Part part) throws IOException {
    part.out.flush();
    part.channel.force(true);
    part.channel.close();
    open.remove(part.bucket);
    PartFiles.move(files.inProgress(part.path), files.pending(part.path));
    txn.addPending(part.path);
  }

  /** Yes when an open part should end by time: it then becomes visible without a new record. */
  @Override
  public boolean wantsTransactionWithoutRecords(long now) {
    for (Part part : open.values()) {
      if (rolling.shouldRollOnProcessingTime(part, now)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void preCommit(FileTransaction txn) throws Exception {
    long now = context.currentProcessingTime();
    for (Part part : new ArrayList<>(open.values())) {
      if (rolling.shouldRollOnProcessingTime(part, now)) {
        end(txn, part);
      } else {
        part.out.flush();
        part.channel.force(true);
        txn.putInProgress(part.path, part.size);
      }
    }
    txn.setNextPart(nextPart);
  }

  @Override
  public void commit(FileTransaction txn) throws Exception {
    for (String path : txn.pendingFiles()) {
      files.finish(path, null);
    }
    uncommitted = false;
  }

  /**
   * Finishes the committed transaction's pending parts and its in-progress parts cut to their
   * committed lengths: the parts the task had open end at a restore.
   */
  @Override
  public void recoverAndCommit(FileTransaction txn) throws Exception {
    commit(txn);
    for (Map.Entry<String, Long> e : txn.inProgressFiles().entrySet()) {
      files.finish(e.getKey(), e.getValue());
    }
    nextPart = Math.max(nextPart, txn.nextPart());
  }

  /**
   * Deletes this task's in-progress and pending parts (every committed one was finished already)
   * and moves the part number past every finished part of the task.
   */
  @Override
  public void recoverAndAbort(InitContext ctx, Collection<FileTransaction> committed)
      throws Exception {
    List<Path> leftovers = new ArrayList<>();
    try (Stream<Path> all = Files.walk(Paths.get(basePath))) {
      for (Iterator<Path> it = all.iterator(); it.hasNext(); ) {
        Path p = it.next();
        String name = p.getFileName().toString();
        long n = files.finishedNumber(name);
        if (n >= 0) {
          nextPart = Math.max(nextPart, n + 1);
        } else if (files.isUnfinished(name) && Files.isRegularFile(p)) {
          leftovers.add(p);
        }
      }
    }
    for (Path p : leftovers) {
      Files.deleteIfExists(p);
      PartFiles.fsyncDirectory(p.getParent());
    }
  }

  /** Closes the open parts; the restore that follows decides what of them is committed. */
  @Override
  public void abort(FileTransaction txn) {
    closeParts();
  }

  /**
   * Closes the open parts. When everything written is committed (the last transaction's commit
   * completed: a clean shutdown or revocation after the final commit), they are finished at once,
   * so stopping the application leaves no committed record hidden; their lengths are the ones the
   * last handle recorded, so a later restore that finishes them again changes nothing. Otherwise
   * the restore that follows decides what of them is committed.
   */
  @Override
  public void close() throws IOException {
    if (open == null) {
      return;
    }
    if (uncommitted) {
      closeParts();
      return;
    }
    for (Part p : new ArrayList<>(open.values())) {
      p.out.flush(); // empty: the last pre-commit flushed it; kept for safety
      p.channel.force(true);
      p.channel.close();
      PartFiles.move(files.inProgress(p.path), files.finished(p.path));
    }
    open.clear();
  }

  private void closeParts() {
    for (Part p : open.values()) {
      try {
        p.channel.close();
      } catch (IOException e) {
        // Nothing to lose: the restore cuts or deletes the part.
      }
    }
    open.clear();
  }

  @Override
  public Serde<FileTransaction> transactionSerde() {
    return FileTransaction.serde();
  }

  /**
   * Builds a {@link FileSink}. Not thread-safe.
   *
   * @param <IN> the record type
   */
  public static final class Builder<IN> {
    private final String basePath;
    private final Encoder<IN> encoder;
    private BucketAssigner<IN> buckets = new DateTimeBucketAssigner<>();
    private RollingPolicy rolling = DefaultRollingPolicy.builder().build();
    private String partPrefix = "part";
    private String partSuffix = "";

    private Builder(String basePath, Encoder<IN> encoder) {
      this.basePath = Objects.requireNonNull(basePath, "basePath");
      this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * Chooses each record's bucket directory.
     *
     * @param assigner the assigner; not null
     * @return this
     */
    public Builder<IN> withBucketAssigner(BucketAssigner<IN> assigner) {
      this.buckets = Objects.requireNonNull(assigner, "assigner");
      return this;
    }

    /**
     * Decides when part files end.
     *
     * @param policy the policy; not null
     * @return this
     */
    public Builder<IN> withRollingPolicy(RollingPolicy policy) {
      this.rolling = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Names part files {@code <prefix>-<task>-<n><suffix>}; defaults {@code part} and none.
     *
     * @param prefix letters, digits, '_' and '-', not empty
     * @param suffix for example {@code .txt} or {@code .jsonl}; '.', letters, digits, '_', '-'
     * @return this
     * @throws IllegalArgumentException when a part has other characters
     */
    public Builder<IN> withPartNames(String prefix, String suffix) {
      if (!prefix.matches("[A-Za-z0-9_-]+") || !suffix.matches("[A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException(
            "part prefix '" + prefix + "' / suffix '" + suffix + "' have characters not allowed");
      }
      this.partPrefix = prefix;
      this.partSuffix = suffix;
      return this;
    }

    /**
     * Builds the sink.
     *
     * @return the sink; pass it to {@code DataStream.sinkTo} and give it a uid
     */
    public FileSink<IN> build() {
      return new FileSink<>(this);
    }
  }
}
