package dev.weir.examples.etl;

import dev.weir.examples.TextSerde;
import java.math.BigDecimal;
import org.apache.kafka.common.serialization.Serde;

/**
 * An order as it arrives: {@code id,customer,amount,currency}, e.g. {@code o-17,c-4,25.00,USD}.
 *
 * @param id the order id
 * @param customer the customer id
 * @param amount the amount, in {@code currency}
 * @param currency an ISO 4217 code
 */
public record Order(String id, String customer, BigDecimal amount, String currency) {
  /**
   * Reads and writes orders as {@code id,customer,amount,currency}; reading malformed text throws,
   * which makes it a deserialization error.
   */
  public static final Serde<Order> SERDE = TextSerde.of(Order::toText, Order::parse);

  /**
   * Formats this order as {@code id,customer,amount,currency}.
   *
   * @return the text
   */
  public String toText() {
    return id + "," + customer + "," + amount.toPlainString() + "," + currency;
  }

  /**
   * Parses {@code id,customer,amount,currency}.
   *
   * @param text the text
   * @return the order
   * @throws IllegalArgumentException when the text is malformed
   */
  public static Order parse(String text) {
    String[] f = text.split(",", -1);
    if (f.length != 4 || f[0].isEmpty() || f[1].isEmpty()) {
      throw new IllegalArgumentException("Not an order (id,customer,amount,currency): " + text);
    }
    return new Order(f[0], f[1], new BigDecimal(f[2]), f[3]);
  }
}
