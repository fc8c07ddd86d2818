/**
 * Windows: {@link dev.weir.windowing.WindowAssigner}s (tumbling, sliding, session, global, and your
 * own), {@link dev.weir.windowing.Trigger}s that decide when a window fires and purges, {@link
 * dev.weir.windowing.Evictor}s, and the window functions. Used through {@code
 * KeyedStream.window(assigner)} and {@code DataStream.windowAll(assigner)}; see {@code
 * docs/windows.md}.
 *
 * @serial exclude
 */
package dev.weir.windowing;
