package dev.weir.store;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One key and its value, as returned by a {@link KeyValueIterator}.
 *
 * <p>Both arrays belong to the receiver: the store does not keep or reuse them, so the caller may
 * keep or modify them. Equality compares the array contents.
 */
public final class KeyValueEntry {
  private final byte[] key;
  private final byte[] value;

  private KeyValueEntry(byte[] key, byte[] value) {
    this.key = key;
    this.value = value;
  }

  /**
   * Creates an entry that takes ownership of the given arrays (they are not copied).
   *
   * @param key the key; not null
   * @param value the value; not null (absent keys never appear in iterators)
   * @return the entry; never null
   * @throws NullPointerException if either argument is null
   */
  public static KeyValueEntry of(byte[] key, byte[] value) {
    return new KeyValueEntry(
        Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
  }

  /**
   * Returns the key.
   *
   * @return the key bytes; never null, possibly empty
   */
  public byte[] key() {
    return key;
  }

  /**
   * Returns the value.
   *
   * @return the value bytes; never null, possibly empty
   */
  public byte[] value() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyValueEntry that
        && Arrays.equals(key, that.key)
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return hex.formatHex(key) + "=" + hex.formatHex(value);
  }
}
