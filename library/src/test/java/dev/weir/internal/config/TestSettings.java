package dev.weir.internal.config;

import dev.weir.WeirConfig;
import java.util.HashMap;
import java.util.Map;

/** Parses settings for tests of the runtime the way the facade does. */
public final class TestSettings {
  private TestSettings() {}

  /** Returns {@code props} parsed and validated as {@link WeirConfig} does. */
  public static Settings of(Map<?, ?> props) {
    return new Settings(new WeirConfig(props), WeirConfig.configDef().names());
  }

  /** Returns {@code props} with the test driver's defaults (application id, bootstrap), parsed. */
  public static Settings forDriver(Map<?, ?> props) {
    Map<Object, Object> withDefaults = new HashMap<>(props);
    withDefaults.putIfAbsent(WeirConfig.APPLICATION_ID_CONFIG, "test-driver");
    withDefaults.putIfAbsent(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "test-driver:9092");
    return of(withDefaults);
  }
}
