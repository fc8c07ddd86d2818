package dev.weir.examples.fraud;

import dev.weir.examples.TextSerde;
import java.math.BigDecimal;
import org.apache.kafka.common.serialization.Serde;

/**
 * A card transaction. On a topic it is the text {@code account,timestamp,amount}, e.g. {@code
 * acct-3,1767225600000,12.50}.
 *
 * @param account the account charged
 * @param timestamp when it happened, epoch milliseconds
 * @param amount the amount
 */
public record Transaction(String account, long timestamp, BigDecimal amount) {
  /** Reads and writes transactions as {@code account,timestamp,amount}. */
  public static final Serde<Transaction> SERDE =
      TextSerde.of(Transaction::toText, Transaction::parse);

  /**
   * Formats this transaction as {@code account,timestamp,amount}.
   *
   * @return the text
   */
  public String toText() {
    return account + "," + timestamp + "," + amount.toPlainString();
  }

  /**
   * Parses {@code account,timestamp,amount}.
   *
   * @param text the text
   * @return the transaction
   * @throws IllegalArgumentException when the text is malformed
   */
  public static Transaction parse(String text) {
    String[] f = text.split(",", -1);
    if (f.length != 3) {
      throw new IllegalArgumentException("Not a transaction (account,timestamp,amount): " + text);
    }
    return new Transaction(f[0], Long.parseLong(f[1]), new BigDecimal(f[2]));
  }
}
