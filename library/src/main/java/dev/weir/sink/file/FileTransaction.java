package dev.weir.sink.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The handle of one {@link FileSink} transaction: the part files it ended (pending, to be finished
 * by the commit) and, from its pre-commit on, the part files still in progress with the length that
 * is committed with it, and the next part number. Paths are relative to the base path and name the
 * finished file ({@code bucket/part-0-7}). Mutable only until pre-committed; used by one task's
 * thread.
 */
public final class FileTransaction {
  private static final byte VERSION = 1;

  private final long sequence;
  private final List<String> pending = new ArrayList<>();
  private final Map<String, Long> inProgress = new LinkedHashMap<>();
  private long nextPart;

  FileTransaction(long sequence) {
    this.sequence = sequence;
  }

  /**
   * The transaction's sequence number ({@code InitContext.transactionSequence()}).
   *
   * @return the sequence number
   */
  public long sequence() {
    return sequence;
  }

  /**
   * The part files this transaction ended, finished by its commit.
   *
   * @return relative paths of the finished names; read-only
   */
  public List<String> pendingFiles() {
    return Collections.unmodifiableList(pending);
  }

  /**
   * The part files in progress at the pre-commit, with their committed lengths: a restore cuts each
   * to its length and finishes it.
   *
   * @return relative paths of the finished names, to lengths in bytes; read-only
   */
  public Map<String, Long> inProgressFiles() {
    return Collections.unmodifiableMap(inProgress);
  }

  /**
   * The next part number of the task after this transaction.
   *
   * @return the part number
   */
  public long nextPart() {
    return nextPart;
  }

  void addPending(String path) {
    pending.add(path);
  }

  void putInProgress(String path, long length) {
    inProgress.put(path, length);
  }

  void setNextPart(long nextPart) {
    this.nextPart = nextPart;
  }

  @Override
  public String toString() {
    return "FileTransaction{"
        + sequence
        + ", pending="
        + pending
        + ", inProgress="
        + inProgress
        + "}";
  }

  /** The handle's binary form: version, sequence, next part, pending paths, in-progress parts. */
  static Serde<FileTransaction> serde() {
    Serializer<FileTransaction> ser =
        (topic, t) -> {
          try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
              DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(t.sequence);
            out.writeLong(t.nextPart);
            out.writeInt(t.pending.size());
            for (String p : t.pending) {
              out.writeUTF(p);
            }
            out.writeInt(t.inProgress.size());
            for (Map.Entry<String, Long> e : t.inProgress.entrySet()) {
              out.writeUTF(e.getKey());
              out.writeLong(e.getValue());
            }
            out.flush();
            return bytes.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    Deserializer<FileTransaction> de =
        (topic, data) -> {
          try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte v = in.readByte();
            if (v != VERSION) {
              throw new IllegalStateException(
                  "A file sink transaction handle of format version "
                      + v
                      + " cannot be read by this version of Weir (it reads "
                      + VERSION
                      + ")");
            }
            FileTransaction t = new FileTransaction(in.readLong());
            t.nextPart = in.readLong();
            for (int i = in.readInt(); i > 0; i--) {
              t.pending.add(in.readUTF());
            }
            for (int i = in.readInt(); i > 0; i--) {
              t.inProgress.put(in.readUTF(), in.readLong());
            }
            return t;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    return Serdes.serdeFrom(ser, de);
  }
}
