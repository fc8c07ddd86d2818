package dev.weir.examples.demo;

import dev.weir.examples.sensors.Reading;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

// [docs:rising-in-event-time]
/**
 * Alerts when a sensor's temperature has risen reading after reading for at least a given span of
 * event time; a rise that goes on alerts again after each further span.
 *
 * <p>Readings arrive out of order, so the function puts them back in event-time order first: each
 * reading waits in {@link MapState} under its timestamp, with an event-time timer at that
 * timestamp. Timers fire in time order once the watermark passes them, and by then every reading up
 * to that time that is not late has arrived. So the alerts depend only on the readings, never on
 * when they arrived or how the work was spread over instances, which is what lets the demo check
 * them. Late readings (at or below the watermark) are skipped: their turn has passed. Assumes one
 * reading per sensor and millisecond.
 */
public final class RisingInEventTime extends KeyedProcessFunction<String, Reading, RiseAlert> {
  private static final long serialVersionUID = 1L;

  private final long spanMs;
  private transient MapState<Long, Double> waiting; // timestamp -> celsius, until the watermark
  private transient ValueState<Reading> previous; // the last reading taken in event-time order
  private transient ValueState<Reading> riseStart; // where the current rise began, while rising

  /**
   * Creates the function.
   *
   * @param span how long a rise must last before it alerts
   */
  public RisingInEventTime(Duration span) {
    this.spanMs = span.toMillis();
  }

  @Override
  public void open() {
    waiting =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("waiting", Serdes.Long(), Serdes.Double()));
    previous = getRuntimeContext().getState(new ValueStateDescriptor<>("previous", Reading.SERDE));
    riseStart =
        getRuntimeContext().getState(new ValueStateDescriptor<>("rise-start", Reading.SERDE));
  }

  @Override
  public void processElement(Reading reading, Context ctx, Collector<RiseAlert> out) {
    // [docs:skip-late]
    if (reading.timestamp() <= ctx.currentWatermark()) {
      return; // late: readings after it were already taken in order
    }
    // [/docs:skip-late]
    waiting.put(reading.timestamp(), reading.celsius());
    ctx.timerService().registerEventTimeTimer(reading.timestamp());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RiseAlert> out) {
    Reading current = new Reading(ctx.getCurrentKey(), timestamp, waiting.get(timestamp));
    waiting.remove(timestamp);
    Reading last = previous.value();
    previous.update(current);
    if (last == null || current.celsius() <= last.celsius()) {
      riseStart.clear();
      return;
    }
    Reading start = riseStart.value() == null ? last : riseStart.value();
    if (current.timestamp() - start.timestamp() >= spanMs) {
      out.collect(
          new RiseAlert(
              current.sensor(),
              start.timestamp(),
              current.timestamp(),
              start.celsius(),
              current.celsius()));
      start = current;
    }
    riseStart.update(start);
  }
}
// [/docs:rising-in-event-time]
