package dev.weir.examples.avro;

import org.apache.avro.reflect.AvroDefault;

/**
 * The running total of one customer: kept in an Avro keyed state and written as JSON to {@code
 * payment-totals}.
 */
public class CustomerTotal {
  /** The customer. */
  public String customer;

  /** Payments so far. */
  public long payments;

  /** Their sum in cents. */
  public long cents;

  // [docs:avro-default]
  /** The largest payment; added after the first release, so state stored before reads it as 0. */
  @AvroDefault("0")
  public long largest;

  // [/docs:avro-default]

  /** For Avro and Jackson. */
  public CustomerTotal() {}

  @Override
  public String toString() {
    return customer + ": " + payments + " payments, " + cents + " cents, largest " + largest;
  }
}
