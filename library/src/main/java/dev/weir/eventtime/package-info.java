/**
 * Event time: {@link dev.weir.eventtime.WatermarkStrategy} (how a source assigns timestamps and
 * generates watermarks, per partition), the {@link dev.weir.eventtime.WatermarkGenerator} SPI, and
 * the {@link dev.weir.eventtime.TimerService} keyed functions use to schedule timers.
 *
 * <p>A watermark W asserts that no more records with timestamp {@code <= W} will arrive; a record
 * at or below the current watermark is late. See {@code docs/event-time.md}.
 *
 * @serial exclude
 */
package dev.weir.eventtime;
