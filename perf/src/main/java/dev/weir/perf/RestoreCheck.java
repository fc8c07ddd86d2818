package dev.weir.perf;

import java.util.OptionalLong;

/** The checks of a restart in W4 and W5 (see {@link RestoreRunner}). */
final class RestoreCheck {
  private RestoreCheck() {}

  /**
   * W4: a start on an empty state directory must restore at least one changelog record per key, and
   * the store must then hold every key.
   *
   * @param keys distinct keys in the changelog
   * @param restored changelog records the contender restored
   * @param entries entries of the store afterwards
   */
  static OutputChecker.Verdict restored(long keys, long restored, long entries) {
    return entries == keys && restored >= keys
        ? new OutputChecker.Verdict(
            true, "ok: " + entries + " entries from " + restored + " changelog records")
        : new OutputChecker.Verdict(
            false, "store holds " + entries + " of " + keys + " keys after restoring " + restored);
  }

  /**
   * W5: a start on the state a crash left must get ready having restored at most one changelog
   * record per key (the changelog holds one per key); when the store was counted (after the last
   * round's graceful stop), it must hold every key.
   *
   * @param keys distinct keys in the changelog
   * @param restored changelog records the contender restored, negative when it could not tell
   * @param entries entries of the store after a graceful stop, empty when not counted this round
   */
  static OutputChecker.Verdict recovered(long keys, long restored, OptionalLong entries) {
    if (restored < 0 || restored > keys) {
      return new OutputChecker.Verdict(
          false, "restored " + restored + " changelog records, expected 0.." + keys);
    }
    if (entries.isEmpty()) {
      return new OutputChecker.Verdict(true, "ok: " + restored + " changelog records restored");
    }
    long n = entries.getAsLong();
    return n == keys
        ? new OutputChecker.Verdict(
            true,
            "ok: " + restored + " changelog records restored, " + n + " entries after closing")
        : new OutputChecker.Verdict(
            false,
            "store holds "
                + n
                + " of "
                + keys
                + " keys after restoring "
                + restored
                + " and closing");
  }
}
