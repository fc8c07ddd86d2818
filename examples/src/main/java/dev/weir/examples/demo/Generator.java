package dev.weir.examples.demo;

import dev.weir.examples.sensors.Reading;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generates the demo's sensor readings, deterministically from a seed, and remembers every reading
 * it generated for {@link Expected}.
 *
 * <p>Each tick (100 ms of event time) every sensor measures once. Temperatures wander, and now and
 * then a sensor heats up for a while, reading after reading. About one reading in twelve is held
 * back and sent up to 1.5 s of event time later, so readings arrive out of order, but never more
 * than the pipeline's out-of-orderness bound behind the newest reading of their partition: such a
 * reading is never late, whatever the watermark is when it is processed. The readings the demo
 * makes late on purpose come from {@link #late}.
 *
 * <p>Sensor {@code i} is written to partition {@code i % partitions}, so one upstream task reads
 * all readings of a sensor.
 *
 * <p>Not thread-safe.
 */
final class Generator {
  /** A reading, the partition it is written to, and whether it was made late on purpose. */
  record Sent(int partition, Reading reading, boolean late) {}

  private record Held(long releaseAt, Sent sent) {}

  static final long TICK_MS = 100;
  static final long MAX_DELAY_MS = 1_500;

  /** How far past the last tick the final readings are: every window before them closes. */
  static final long DRAIN_MS = 60_000;

  private final Random random;
  private final int sensors;
  private final int partitions;
  private final long start;
  private final int[] tenths;
  private final int[] heating;
  private final List<Held> held = new ArrayList<>();
  private final List<Sent> history = new ArrayList<>();
  private long ticks;

  /**
   * Creates a generator.
   *
   * @param seed the random seed: the same seed gives the same readings
   * @param sensors how many sensors, at least {@code partitions}
   * @param partitions how many partitions the readings topic has
   * @param start the event time of the first tick, epoch milliseconds
   */
  Generator(long seed, int sensors, int partitions, long start) {
    if (sensors < partitions) {
      throw new IllegalArgumentException("Need at least one sensor per partition");
    }
    this.random = new Random(seed);
    this.sensors = sensors;
    this.partitions = partitions;
    this.start = start;
    this.tenths = new int[sensors];
    this.heating = new int[sensors];
    for (int i = 0; i < sensors; i++) {
      tenths[i] = 150 + 5 * i + random.nextInt(20);
    }
  }

  static String sensorName(int i) {
    return String.format("sensor-%02d", i);
  }

  /** The event time of the next tick. */
  long eventTime() {
    return start + ticks * TICK_MS;
  }

  /**
   * Generates one tick: the held-back readings now due, then this tick's readings that are not held
   * back, in the order they must be sent.
   *
   * @return the readings to send
   */
  List<Sent> tick() {
    long now = eventTime();
    ticks++;
    List<Sent> out = release(now);
    for (int i = 0; i < sensors; i++) {
      Sent s =
          new Sent(i % partitions, new Reading(sensorName(i), now + i, nextTemperature(i)), false);
      if (random.nextInt(12) == 0) {
        held.add(new Held(s.reading().timestamp() + 200 + random.nextInt(1_301), s));
      } else {
        out.add(s);
      }
    }
    history.addAll(out);
    return out;
  }

  /**
   * Generates a reading of {@code sensor} inside the window {@code [windowStart, windowStart +
   * windowMs)}. Only a window whose result the pipeline has already committed makes the reading
   * certainly late: the owner of the sensor's key has a watermark past the window, and watermarks
   * survive restarts.
   *
   * @param sensor the sensor's id
   * @param windowStart the window's start
   * @param windowMs the window's size
   * @return the reading to send
   */
  Sent late(String sensor, long windowStart, long windowMs) {
    int i = Integer.parseInt(sensor.substring(sensor.indexOf('-') + 1));
    long ts = windowStart + random.nextInt((int) windowMs);
    Sent s = new Sent(i % partitions, new Reading(sensor, ts, tenths[i] / 10.0), true);
    history.add(s);
    return s;
  }

  /**
   * Ends the stream: releases every held-back reading, then writes one reading per partition {@link
   * #DRAIN_MS} past the last tick, which moves the watermark of every partition past every window
   * and rise before it.
   *
   * @return the readings to send
   */
  List<Sent> finish() {
    long now = eventTime();
    List<Sent> out = release(Long.MAX_VALUE);
    for (int p = 0; p < partitions; p++) {
      out.add(new Sent(p, new Reading(sensorName(p), now + DRAIN_MS + p, tenths[p] / 10.0), false));
    }
    history.addAll(out);
    return out;
  }

  /**
   * Returns every reading generated so far.
   *
   * @return the readings, in the order they were generated
   */
  List<Sent> history() {
    return Collections.unmodifiableList(history);
  }

  private List<Sent> release(long upTo) {
    List<Sent> out = new ArrayList<>();
    held.sort((a, b) -> Long.compare(a.releaseAt(), b.releaseAt()));
    while (!held.isEmpty() && held.get(0).releaseAt() <= upTo) {
      out.add(held.remove(0).sent());
    }
    return out;
  }

  /** A random walk pulled towards the sensor's base, with heating spells that alerts catch. */
  private double nextTemperature(int i) {
    if (heating[i] > 0) {
      heating[i]--;
      tenths[i] += 1 + random.nextInt(4);
    } else if (random.nextInt(250) == 0) {
      heating[i] = 6 + random.nextInt(15);
    } else {
      int base = 150 + 5 * i;
      int pull = tenths[i] > base + 30 ? -1 : tenths[i] < base - 30 ? 1 : 0;
      tenths[i] += random.nextInt(5) - 2 + pull;
    }
    return tenths[i] / 10.0;
  }
}
