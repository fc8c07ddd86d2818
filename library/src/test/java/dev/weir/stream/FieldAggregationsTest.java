package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Rolling sums of a field per key: the key is kept, the record need not be a number. */
class FieldAggregationsTest {

  /** "customer:quantity:price" records keyed by customer. */
  private static KeyedStream<String, String> orders(StreamBuilder b) {
    return b.fromSource(KafkaSource.topic("orders", Serdes.String()), "orders")
        .keyBy(v -> v.split(":")[0], Serdes.String());
  }

  private static long quantity(String order) {
    return Long.parseLong(order.split(":")[1]);
  }

  private static double price(String order) {
    return Double.parseDouble(order.split(":")[2]);
  }

  @Test
  void sumsOfAFieldEmitTheKeyWithTheSumForEveryRecord() {
    StreamBuilder b = new StreamBuilder();
    KeyedStream<String, String> orders = orders(b);
    orders
        .sumLong(FieldAggregationsTest::quantity)
        .uid("quantity")
        .map(kv -> kv.key() + "=" + kv.value())
        .sinkTo(KafkaSink.topic("quantity", Serdes.String()));
    // [docs:sum-long]
    orders
        .sumLong(FieldAggregationsTest::quantity)
        .uid("quantity-kv")
        .sinkTo(KafkaSink.keyValues("quantity-kv", Serdes.String(), Serdes.Long()));
    // [/docs:sum-long]
    orders
        .sumDouble(FieldAggregationsTest::price)
        .uid("revenue")
        .map(kv -> kv.key() + "=" + kv.value())
        .sinkTo(KafkaSink.topic("revenue", Serdes.String()));
    orders
        .minBy(FieldAggregationsTest::quantity)
        .uid("smallest-order")
        .sinkTo(KafkaSink.topic("smallest", Serdes.String()));
    try (Driver d = new Driver(b)) {
      for (String order : new String[] {"ann:3:1.5", "bob:1:2.25", "ann:1:4.0", "ann:5:0.5"}) {
        d.core.pipe("orders", null, Driver.bytes(order), 0L, null);
      }
      assertThat(d.values("quantity")).containsExactly("ann=3", "bob=1", "ann=4", "ann=9");
      assertThat(d.values("revenue")).containsExactly("ann=1.5", "bob=2.25", "ann=5.5", "ann=6.0");
      // The pairs' serde is the key's and Long's: a key-value sink needs no .returns.
      assertThat(d.records("quantity-kv"))
          .extracting(
              o ->
                  Driver.string(o.key())
                      + "="
                      + Serdes.Long().deserializer().deserialize("quantity-kv", o.value()))
          .containsExactly("ann=3", "bob=1", "ann=4", "ann=9");
      // A field's minimum per key, with the whole record (and so its key): minBy.
      assertThat(d.values("smallest"))
          .containsExactly("ann:3:1.5", "bob:1:2.25", "ann:1:4.0", "ann:1:4.0");
    }
  }

  @Test
  void aNullFieldFailsNamingTheAggregationAndTheRecord() {
    StreamBuilder b = new StreamBuilder();
    orders(b)
        .sumLong(o -> o.endsWith("?") ? null : quantity(o))
        .map(kv -> kv.key() + "=" + kv.value())
        .sinkTo(KafkaSink.topic("quantity", Serdes.String()));
    try (Driver d = new Driver(b)) {
      assertThatThrownBy(() -> d.core.pipe("orders", null, Driver.bytes("ann:1:?"), 0L, null))
          .hasStackTraceContaining(
              "The field selector of the rolling sumLong returned null for record ann:1:?; filter"
                  + " such records out before it, or map null to a value.");
    }
  }
}
