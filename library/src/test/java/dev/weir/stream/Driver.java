package dev.weir.stream;

import dev.weir.internal.config.TestSettings;
import dev.weir.internal.driver.DriverCore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small string-typed façade over the driver core for the library's own tests. */
final class Driver implements AutoCloseable {
  final DriverCore core;

  Driver(StreamBuilder builder, Map<?, ?> props) {
    this.core = new DriverCore(builder.build(), TestSettings.forDriver(props), 0L);
  }

  Driver(StreamBuilder builder) {
    this(builder, Map.of());
  }

  void pipe(String topic, String value, long timestamp) {
    pipe(topic, null, value, timestamp);
  }

  void pipe(String topic, String key, String value, long timestamp) {
    core.pipe(topic, bytes(key), bytes(value), timestamp, null);
  }

  List<String> values(String topic) {
    List<String> out = new ArrayList<>();
    DriverCore.Output o;
    while ((o = core.poll(topic)) != null) {
      out.add(o.value() == null ? null : new String(o.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  List<DriverCore.Output> records(String topic) {
    List<DriverCore.Output> out = new ArrayList<>();
    DriverCore.Output o;
    while ((o = core.poll(topic)) != null) {
      out.add(o);
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    core.close();
  }
}
