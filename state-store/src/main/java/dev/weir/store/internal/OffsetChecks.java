package dev.weir.store.internal;

import java.util.Map;
import java.util.Objects;

/** Argument checks for changelog offsets, shared by every write path. */
final class OffsetChecks {
  private OffsetChecks() {}

  static void check(String changelogPartition, long nextOffset) {
    Objects.requireNonNull(changelogPartition, "changelogPartition");
    if (changelogPartition.isEmpty()) {
      throw new IllegalArgumentException("Changelog partition must not be empty");
    }
    if (nextOffset < 0) {
      throw new IllegalArgumentException(
          "Offset for " + changelogPartition + " must not be negative but was " + nextOffset);
    }
  }

  static void checkAll(Map<String, Long> offsets) {
    Objects.requireNonNull(offsets, "offsets");
    offsets.forEach(
        (partition, offset) ->
            check(partition, Objects.requireNonNull(offset, "offset of " + partition)));
  }
}
