package dev.weir.perf;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * UTF-8 strings whose deserializer tells {@link ContenderMain#recordParsed} about each record. W2K
 * takes keys from the record keys and event time from the record timestamps, so no contender parses
 * the value; its deserializer is where every contender first touches a record instead.
 */
final class MarkingStrings implements Deserializer<String> {
  private MarkingStrings() {}

  /** The serde: Kafka's string serializer and the marking deserializer. */
  static Serde<String> serde() {
    return Serdes.serdeFrom(new StringSerializer(), new MarkingStrings());
  }

  @Override
  public String deserialize(String topic, byte[] data) {
    ContenderMain.recordParsed();
    return data == null ? null : new String(data, StandardCharsets.UTF_8);
  }
}
