package dev.weir.perf;

/**
 * One input record of the benchmark data set, and the W1 business logic every contender runs: the
 * same parse, filter and format code, so that differences in speed are the framework's.
 *
 * <p>Wire format (UTF-8 text, about 100 bytes): {@code seq,key,eventTimeMs,amountCents,category,
 * payload}, for example {@code 1234,k0042,1700000012345,4599,c3,qhzj...}.
 *
 * @param seq the record's sequence number; unique per data set, probes use {@link #PROBE_BASE} and
 *     up
 * @param key the grouping key
 * @param eventTime event time in epoch milliseconds (also the Kafka record timestamp)
 * @param amountCents an amount in cents
 * @param category {@code c0} to {@code c9}; W1 drops {@code c0} (about 10%)
 * @param payload filler that brings the record to about 100 bytes
 */
public record Event(
    long seq, String key, long eventTime, long amountCents, String category, String payload) {

  /** Sequence numbers from here on are latency probes, not part of the data set. */
  public static final long PROBE_BASE = 1_000_000_000_000L;

  /** The category W1 filters out. */
  static final String DROPPED_CATEGORY = "c0";

  /**
   * Parses the wire format.
   *
   * @param line a value written by {@link Dataset}
   * @return the event
   * @throws IllegalArgumentException when the line has fewer than six fields
   */
  public static Event parse(String line) {
    ContenderMain.recordParsed();
    int a = line.indexOf(',');
    int b = line.indexOf(',', a + 1);
    int c = line.indexOf(',', b + 1);
    int d = line.indexOf(',', c + 1);
    int e = line.indexOf(',', d + 1);
    if (a < 0 || b < 0 || c < 0 || d < 0 || e < 0) {
      throw new IllegalArgumentException("Not an event: " + line);
    }
    return new Event(
        Long.parseLong(line, 0, a, 10),
        line.substring(a + 1, b),
        Long.parseLong(line, b + 1, c, 10),
        Long.parseLong(line, c + 1, d, 10),
        line.substring(d + 1, e),
        line.substring(e + 1));
  }

  /**
   * W1's filter.
   *
   * @return false for the dropped category (about 10% of the data set)
   */
  public boolean keep() {
    return !DROPPED_CATEGORY.equals(category);
  }

  /**
   * W1's map: the amount with 20% tax in currency units, the category upper-cased.
   *
   * @return {@code seq,key,eventTime,amount,CATEGORY,payload}
   */
  public String enrich() {
    long taxed = (amountCents * 6 + 2) / 5;
    StringBuilder sb = new StringBuilder(120);
    sb.append(seq).append(',').append(key).append(',').append(eventTime).append(',');
    sb.append(taxed / 100).append('.');
    long cents = taxed % 100;
    if (cents < 10) {
      sb.append('0');
    }
    sb.append(cents).append(',');
    for (int i = 0; i < category.length(); i++) {
      sb.append(Character.toUpperCase(category.charAt(i)));
    }
    return sb.append(',').append(payload).toString();
  }

  /**
   * Formats this event in the wire format.
   *
   * @return the line {@link #parse} reads
   */
  public String toLine() {
    return seq + "," + key + "," + eventTime + "," + amountCents + "," + category + "," + payload;
  }

  /**
   * Reads the sequence number at the start of a UTF-8 line without decoding it.
   *
   * @param utf8 a line starting with decimal digits and a comma
   * @return the number, or -1 when the line does not start that way
   */
  static long leadingSeq(byte[] utf8) {
    long v = 0;
    int i = 0;
    for (; i < utf8.length && utf8[i] != ','; i++) {
      int digit = utf8[i] - '0';
      if (digit < 0 || digit > 9 || i > 18) {
        return -1;
      }
      v = v * 10 + digit;
    }
    return i == 0 || i == utf8.length ? -1 : v;
  }
}
