package dev.weir.examples.avro;

/**
 * A payment as it arrives on the {@code payments} topic: an Avro record whose schema Avro derives
 * from this class ({@code dev.weir.examples.avro.Payment} with fields {@code customer} and {@code
 * cents}). Public fields and a no-argument constructor are what Avro's reflection needs.
 */
public class Payment {
  /** Who paid. */
  public String customer;

  /** How much, in cents. */
  public long cents;

  /** For Avro. */
  public Payment() {}

  /**
   * Creates a payment.
   *
   * @param customer who paid
   * @param cents how much
   */
  public Payment(String customer, long cents) {
    this.customer = customer;
    this.cents = cents;
  }
}
