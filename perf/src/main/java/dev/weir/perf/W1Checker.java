package dev.weir.perf;

import java.util.BitSet;

/**
 * W1: each kept record's enriched line exactly once (by sequence number), and the sum of their
 * hashes equal to the expected one, so a wrong byte anywhere shows.
 */
final class W1Checker extends OutputChecker.Base {
  private final Dataset data;
  private final BitSet seqs;
  private final BitSet probes = new BitSet();
  private long hash;

  W1Checker(Dataset data) {
    this.data = data;
    this.seqs = new BitSet(data.totalRecords());
  }

  @Override
  public long accept(byte[] key, byte[] value) {
    long seq = value == null ? -1 : Event.leadingSeq(value);
    if (seq >= Event.PROBE_BASE) {
      probe(seq - Event.PROBE_BASE, probes);
      return seq - Event.PROBE_BASE;
    }
    if (seq < 0 || seq >= data.totalRecords()) {
      wrong(
          "unexpected value "
              + (value == null
                  ? "null"
                  : new String(value, java.nio.charset.StandardCharsets.UTF_8)));
    } else if (seqs.get((int) seq)) {
      duplicates++;
    } else {
      seqs.set((int) seq);
      hash += Fnv.hash(value);
      seen++;
    }
    return NOT_A_PROBE;
  }

  @Override
  public long expected() {
    return data.w1Kept();
  }

  @Override
  String extraProblem() {
    return seen == expected() && hash != data.w1Hash() ? "content hash differs" : null;
  }
}
