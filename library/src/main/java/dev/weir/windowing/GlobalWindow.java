package dev.weir.windowing;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The one window of {@link GlobalWindows}: every record of a key. */
public final class GlobalWindow extends Window {
  private static final GlobalWindow INSTANCE = new GlobalWindow();

  private GlobalWindow() {}

  /**
   * Returns the global window.
   *
   * @return the singleton
   */
  public static GlobalWindow get() {
    return INSTANCE;
  }

  @Override
  public long maxTimestamp() {
    return Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return "GlobalWindow";
  }

  /**
   * The global window's serde (zero bytes).
   *
   * @return the serde
   */
  public static Serde<GlobalWindow> serde() {
    return Serdes.serdeFrom(
        (Serializer<GlobalWindow>) (t, w) -> new byte[0],
        (Deserializer<GlobalWindow>) (t, b) -> INSTANCE);
  }
}
