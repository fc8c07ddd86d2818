package dev.weir.store;

import java.util.Arrays;

/**
 * The persisted format of values in changelog topics, version 1.
 *
 * <p>A changelog record's key is the store key, unchanged, so that log compaction keeps the latest
 * record per store key. Its value is the store value prefixed by one format version byte, {@code
 * 0x01}:
 *
 * <pre>
 *   store value  61 62          ("ab")
 *   record value 01 61 62
 *   store value  (empty)
 *   record value 01
 *   delete       null record value (a tombstone, so compaction can drop the key)
 * </pre>
 *
 * <p>A reader that finds a version it does not know throws {@link StateFormatException}; a newer
 * Weir wrote the record, and the fix is to upgrade. Stateless and thread-safe.
 */
public final class ChangelogFormat {
  /** The version byte this release writes. */
  public static final byte VERSION_1 = 0x01;

  /** Where the store value starts in a changelog record value of {@link #VERSION_1}. */
  public static final int PAYLOAD_OFFSET = 1;

  private ChangelogFormat() {}

  /**
   * Encodes a store value as a changelog record value.
   *
   * @param value the store value, or null for a delete
   * @return a new array, {@link #VERSION_1} followed by the value; null when {@code value} is null
   */
  public static byte[] encodeValue(byte[] value) {
    if (value == null) {
      return null;
    }
    byte[] encoded = new byte[value.length + 1];
    encoded[0] = VERSION_1;
    System.arraycopy(value, 0, encoded, PAYLOAD_OFFSET, value.length);
    return encoded;
  }

  /**
   * Decodes a changelog record value into a store value.
   *
   * @param encoded the record value, or null for a tombstone
   * @return a new array with the store value; null when {@code encoded} is null
   * @throws StateFormatException if the value is empty or has a version this release cannot read
   */
  public static byte[] decodeValue(byte[] encoded) {
    if (encoded == null) {
      return null;
    }
    checkVersion(encoded);
    return Arrays.copyOfRange(encoded, PAYLOAD_OFFSET, encoded.length);
  }

  /**
   * Checks that a non-null changelog record value is in a format this release reads; the store
   * value is then {@code encoded[PAYLOAD_OFFSET..]}, which readers can use without copying.
   *
   * @param encoded the record value; not null
   * @throws StateFormatException if the value is empty or has a version this release cannot read
   */
  public static void checkVersion(byte[] encoded) {
    if (encoded.length == 0) {
      throw new StateFormatException(
          "Changelog value is empty, but every value written by Weir starts with a format version"
              + " byte; the changelog topic holds data not written by Weir or is corrupt");
    }
    if (encoded[0] != VERSION_1) {
      throw new StateFormatException(
          String.format(
              "Changelog value has format version 0x%02x, but this Weir release reads only version"
                  + " 0x%02x; the changelog was written by a newer Weir release: upgrade Weir to"
                  + " that release or later",
              encoded[0] & 0xff, VERSION_1));
    }
  }
}
