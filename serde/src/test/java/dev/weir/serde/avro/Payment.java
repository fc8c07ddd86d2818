package dev.weir.serde.avro;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A specific record written by hand in the shape Avro's code generator produces (the build has no
 * Avro plugin): the class name is the schema's full name, {@code SCHEMA$} holds the schema.
 */
public class Payment extends SpecificRecordBase {
  public static final Schema SCHEMA$ =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"dev.weir.serde.avro\","
                  + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                  + "{\"name\":\"amount\",\"type\":\"long\"}]}");

  private CharSequence id;
  private long amount;

  public Payment() {}

  public Payment(String id, long amount) {
    this.id = id;
    this.amount = amount;
  }

  public String id() {
    return id.toString();
  }

  public long amount() {
    return amount;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    return switch (field) {
      case 0 -> id;
      case 1 -> amount;
      default -> throw new IndexOutOfBoundsException(field);
    };
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0 -> id = (CharSequence) value;
      case 1 -> amount = (Long) value;
      default -> throw new IndexOutOfBoundsException(field);
    }
  }
}
