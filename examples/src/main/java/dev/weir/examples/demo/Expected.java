package dev.weir.examples.demo;

import dev.weir.examples.demo.Generator.Sent;
import dev.weir.examples.sensors.Reading;
import dev.weir.examples.sensors.WindowAverage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the pipeline must output for the generated readings, computed directly from them with plain
 * collections (no Weir code), and the comparison with what it did output.
 *
 * <p>The rules, as the pipeline's semantics define them:
 *
 * <ul>
 *   <li>The watermark of a partition is the largest timestamp written to it minus the
 *       out-of-orderness minus 1; the pipeline's watermark is the minimum over partitions. At the
 *       end it is {@code final} below, and only windows whose last millisecond ({@code end - 1}) is
 *       at or below it have fired.
 *   <li>A window {@code [start, start + size)} is aligned to the epoch. Every reading the generator
 *       did not make late counts in its window; the late ones go to the side output, each once.
 *   <li>Rises: per sensor, the readings that are not late and at or below the final watermark, in
 *       timestamp order; a reading higher than the one before continues a rise (which began at the
 *       reading before the first step up); once a rise spans at least {@code RISE} it alerts and
 *       begins again at that reading.
 * </ul>
 *
 * @param windows the window averages by (sensor, window start)
 * @param alerts the alerts by (sensor, time)
 * @param late the late readings by (sensor, time)
 * @param finalWatermark the watermark once every reading has been processed
 */
record Expected(
    Map<String, WindowAverage> windows,
    Map<String, RiseAlert> alerts,
    Map<String, Reading> late,
    long finalWatermark) {

  /** Counts of one output compared with its expected records. */
  record Tally(int expected, int received, int lost, int duplicated, int wrong) {
    boolean ok() {
      return lost == 0 && duplicated == 0 && wrong == 0 && received == expected;
    }
  }

  static String windowKey(WindowAverage w) {
    return w.sensor() + "@" + w.start();
  }

  static String alertKey(RiseAlert a) {
    return a.sensor() + "@" + a.to();
  }

  static String lateKey(Reading r) {
    return r.sensor() + "@" + r.timestamp();
  }

  /**
   * Computes the expected output.
   *
   * @param sent every generated reading
   * @param partitions the partitions of the readings topic
   * @param windowMs the window size
   * @param outOfOrdernessMs the watermark's out-of-orderness bound
   * @param riseMs how long a rise must last
   * @return the expected output
   */
  static Expected compute(
      List<Sent> sent, int partitions, long windowMs, long outOfOrdernessMs, long riseMs) {
    long[] maxTimestamp = new long[partitions];
    Arrays.fill(maxTimestamp, Long.MIN_VALUE);
    for (Sent s : sent) {
      maxTimestamp[s.partition()] = Math.max(maxTimestamp[s.partition()], s.reading().timestamp());
    }
    long finalWatermark = Long.MAX_VALUE;
    for (long max : maxTimestamp) {
      long w = max == Long.MIN_VALUE ? Long.MIN_VALUE : max - outOfOrdernessMs - 1;
      finalWatermark = Math.min(finalWatermark, w);
    }

    Map<String, long[]> sums = new TreeMap<>(); // key -> {start, count, tenths}
    Map<String, List<Reading>> bySensor = new TreeMap<>();
    Map<String, Reading> late = new LinkedHashMap<>();
    for (Sent s : sent) {
      Reading r = s.reading();
      if (s.late()) {
        late.put(lateKey(r), r);
        continue;
      }
      long start = r.timestamp() - Math.floorMod(r.timestamp(), windowMs);
      if (start + windowMs - 1 <= finalWatermark) {
        long[] sum = sums.computeIfAbsent(r.sensor() + "@" + start, k -> new long[] {start, 0, 0});
        sum[1]++;
        sum[2] += Math.round(r.celsius() * 10);
      }
      if (r.timestamp() <= finalWatermark) {
        bySensor.computeIfAbsent(r.sensor(), k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, WindowAverage> windows = new LinkedHashMap<>();
    sums.forEach(
        (key, sum) -> {
          String sensor = key.substring(0, key.indexOf('@'));
          windows.put(
              key,
              new WindowAverage(
                  sensor, sum[0], sum[0] + windowMs, sum[1], sum[2] / (10.0 * sum[1])));
        });

    Map<String, RiseAlert> alerts = new LinkedHashMap<>();
    for (List<Reading> readings : bySensor.values()) {
      readings.sort(Comparator.comparingLong(Reading::timestamp));
      Reading previous = null;
      Reading riseStart = null;
      for (Reading r : readings) {
        if (previous != null && r.celsius() > previous.celsius()) {
          Reading begin = riseStart == null ? previous : riseStart;
          if (r.timestamp() - begin.timestamp() >= riseMs) {
            RiseAlert a =
                new RiseAlert(
                    r.sensor(), begin.timestamp(), r.timestamp(), begin.celsius(), r.celsius());
            alerts.put(alertKey(a), a);
            begin = r;
          }
          riseStart = begin;
        } else {
          riseStart = null;
        }
        previous = r;
      }
    }
    return new Expected(windows, alerts, late, finalWatermark);
  }

  /**
   * Compares received records with expected ones by key: a key never received is lost, every extra
   * copy of a key is a duplicate, and a key received with other content, or not expected at all, is
   * wrong.
   *
   * @param expected the expected records by key
   * @param received the records received, in any order
   * @param key the key of a received record
   * @param <V> the record type
   * @return the counts
   */
  static <V> Tally compare(Map<String, V> expected, List<V> received, Function<V, String> key) {
    Map<String, List<V>> byKey = new HashMap<>();
    for (V v : received) {
      byKey.computeIfAbsent(key.apply(v), k -> new ArrayList<>()).add(v);
    }
    int lost = 0;
    for (String k : expected.keySet()) {
      if (!byKey.containsKey(k)) {
        lost++;
      }
    }
    int duplicated = 0;
    int wrong = 0;
    for (Map.Entry<String, List<V>> e : byKey.entrySet()) {
      duplicated += e.getValue().size() - 1;
      if (!e.getValue().get(0).equals(expected.get(e.getKey()))) {
        wrong++;
      }
    }
    return new Tally(expected.size(), received.size(), lost, duplicated, wrong);
  }
}
