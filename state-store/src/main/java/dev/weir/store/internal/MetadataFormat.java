package dev.weir.store.internal;

import dev.weir.store.StateFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The persisted format of Weir's metadata records in a task's RocksDB instance (the {@code default}
 * column family), version 1. Every key and every value starts with the format version byte.
 *
 * <pre>
 *   changelog offset key    01 01 &lt;UTF-8 topic-partition, e.g. "app-op-changelog-3"&gt;
 *   changelog offset value  01 &lt;8-byte big-endian next offset&gt;
 *   layout key              01 02 "batches-whole"
 *   layout value            01
 * </pre>
 *
 * <p>The second key byte is the record kind. Kind {@code 0x02} (design record 039) says that the
 * stores hold some batch records whole, as one entry at the batch key with the record's value
 * (window lists), which a release before it would read as empty markers and so as empty lists: such
 * a release meets a kind it does not know and refuses the state, as it was written to do. A reader
 * meeting an unknown version or kind refuses the state rather than guess: a newer Weir wrote it.
 */
final class MetadataFormat {
  static final byte VERSION_1 = 0x01;
  static final byte KIND_CHANGELOG_OFFSET = 0x01;
  static final byte KIND_LAYOUT = 0x02;

  /** The key of the layout record: some batches are stored whole (design record 039). */
  static final byte[] BATCHES_WHOLE_KEY = layoutKey("batches-whole");

  /** The value of the layout record. */
  static final byte[] LAYOUT_VALUE = {VERSION_1};

  /** Every changelog offset key starts with these bytes. */
  static final byte[] OFFSET_KEY_PREFIX = {VERSION_1, KIND_CHANGELOG_OFFSET};

  private static final int OFFSET_VALUE_LENGTH = 1 + Long.BYTES;

  private MetadataFormat() {}

  private static byte[] layoutKey(String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + n.length).put(VERSION_1).put(KIND_LAYOUT).put(n).array();
  }

  /** Whether a metadata key is a layout record (and so names no changelog partition). */
  static boolean isLayoutKey(byte[] key) {
    return key.length >= 2 && key[0] == VERSION_1 && key[1] == KIND_LAYOUT;
  }

  static byte[] encodeOffsetKey(String changelogPartition) {
    byte[] name = changelogPartition.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(OFFSET_KEY_PREFIX.length + name.length)
        .put(OFFSET_KEY_PREFIX)
        .put(name)
        .array();
  }

  static byte[] encodeOffsetValue(long nextOffset) {
    return ByteBuffer.allocate(OFFSET_VALUE_LENGTH).put(VERSION_1).putLong(nextOffset).array();
  }

  /**
   * Decodes a metadata key, returning the changelog partition it names.
   *
   * @param where names the task, for error messages
   */
  static String decodeOffsetKey(byte[] key, String where) {
    checkVersion(key, where, "key");
    if (key.length < 3) {
      throw corrupt(where, "metadata key of " + key.length + " bytes");
    }
    if (key[1] != KIND_CHANGELOG_OFFSET) {
      throw new StateFormatException(
          String.format(
              "%s holds a metadata record of unknown kind 0x%02x; it was written by a newer Weir"
                  + " release: upgrade Weir, or delete the task's state directory to rebuild it"
                  + " from the changelog",
              where, key[1] & 0xff));
    }
    return new String(key, 2, key.length - 2, StandardCharsets.UTF_8);
  }

  static long decodeOffsetValue(byte[] value, String where) {
    checkVersion(value, where, "value");
    if (value.length != OFFSET_VALUE_LENGTH) {
      throw corrupt(where, "changelog offset of " + value.length + " bytes");
    }
    return ByteBuffer.wrap(value, 1, Long.BYTES).getLong();
  }

  private static void checkVersion(byte[] bytes, String where, String part) {
    if (bytes.length == 0) {
      throw corrupt(where, "metadata " + part + " without a format version byte");
    }
    if (bytes[0] != VERSION_1) {
      throw new StateFormatException(
          String.format(
              "%s holds a metadata %s of format version 0x%02x, but this Weir release reads only"
                  + " version 0x%02x; the state was written by a newer Weir release: upgrade Weir,"
                  + " or delete the task's state directory to rebuild it from the changelog",
              where, part, bytes[0] & 0xff, VERSION_1));
    }
  }

  private static StateFormatException corrupt(String where, String what) {
    return new StateFormatException(
        where
            + " holds a "
            + what
            + "; the state is corrupt: delete the task's state directory to rebuild it from the"
            + " changelog");
  }
}
