package dev.weir.serde;

import dev.weir.serde.avro.GenericAvroSerde;
import dev.weir.serde.avro.Payment;
import dev.weir.serde.avro.ReflectAvroSerde;
import dev.weir.serde.avro.SpecificAvroSerde;
import dev.weir.serde.json.JsonSerde;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * A rough single-thread throughput measurement of the serdes (not a test; run its main from the
 * test class path). Schemas are cached after the first value, so this measures encoding only.
 */
public final class SerdeThroughput {
  private SerdeThroughput() {}

  /** A POJO for the reflect and JSON serdes. */
  public static class Reading {
    public String sensor;
    public long time;
    public double celsius;

    public Reading() {}
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Map<String, Object> config = Map.of("schema.registry.url", "mock://throughput");
    Reading reading = new Reading();
    reading.sensor = "sensor-0042";
    reading.time = 1_700_000_000_000L;
    reading.celsius = 21.5;
    GenericRecord generic = new GenericData.Record(Payment.SCHEMA$);
    generic.put("id", "payment-000042");
    generic.put("amount", 123_456L);

    run(
        "avro specific",
        new SpecificAvroSerde<>(Payment.class),
        new Payment("payment-000042", 123_456L),
        config,
        n);
    run("avro generic", new GenericAvroSerde(), generic, config, n);
    run("avro reflect", new ReflectAvroSerde<>(Reading.class), reading, config, n);
    run("json (jackson)", JsonSerde.of(Reading.class), reading, config, n);
  }

  private static <T> void run(
      String name, Serde<T> serde, T value, Map<String, Object> config, int n) {
    serde.configure(config, false);
    byte[] bytes = serde.serializer().serialize(name, value);
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += serde.serializer().serialize(name, value).length;
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        sink += serde.deserializer().deserialize(name, bytes) == null ? 0 : 1;
      }
      long t2 = System.nanoTime();
      if (round == 2) {
        System.out.printf(
            "%-15s %3d bytes  serialize %,6.0f k/s  deserialize %,6.0f k/s%n",
            name, bytes.length, n / ((t1 - t0) / 1e6), n / ((t2 - t1) / 1e6));
      }
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
