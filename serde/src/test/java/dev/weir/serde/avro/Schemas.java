package dev.weir.serde.avro;

import org.apache.avro.Schema;

/** Schemas the tests evolve. */
final class Schemas {
  private Schemas() {}

  static final Schema PAYMENT_V1 = Payment.SCHEMA$;

  /** V1 plus a currency with a default: reads V1 data. */
  static final Schema PAYMENT_V2 =
      parse(
          "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"dev.weir.serde.avro\","
              + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"amount\",\"type\":\"long\"},"
              + "{\"name\":\"currency\",\"type\":\"string\",\"default\":\"EUR\"}]}");

  /** V1 plus a currency without a default: cannot read V1 data. */
  static final Schema PAYMENT_NO_DEFAULT =
      parse(
          "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"dev.weir.serde.avro\","
              + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"amount\",\"type\":\"long\"},"
              + "{\"name\":\"currency\",\"type\":\"string\"}]}");

  /** V1 without the amount: reads V1 data (the field is skipped). */
  static final Schema PAYMENT_DROPPED =
      parse(
          "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"dev.weir.serde.avro\","
              + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

  static Schema parse(String s) {
    return new Schema.Parser().parse(s);
  }
}
