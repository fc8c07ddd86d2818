package dev.weir.examples.joins;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.windowing.EventTimeSessionWindows;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A window join and a window coGroup of orders ({@code "orderId,amount"}) and payments ({@code
 * "orderId,method"}): the payments of each order in the same minute, and the orders of a session of
 * activity that got no payment at all. Event time is the record timestamp.
 */
public final class OrderPayments {
  private OrderPayments() {}

  static String orderId(String line) {
    return line.substring(0, line.indexOf(','));
  }

  static String rest(String line) {
    return line.substring(line.indexOf(',') + 1);
  }

  /**
   * Builds both pipelines.
   *
   * @param ordersTopic where orders come from
   * @param paymentsTopic where payments come from
   * @param paidTopic where the window join writes {@code "orderId amount paid by method"}
   * @param unpaidTopic where the coGroup writes {@code "orderId unpaid"}
   * @return the topology
   */
  public static Topology topology(
      String ordersTopic, String paymentsTopic, String paidTopic, String unpaidTopic) {
    StreamBuilder builder = new StreamBuilder();
    DataStream<String> orders =
        builder.fromSource(
            KafkaSource.topic(ordersTopic, Serdes.String()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(5)),
            "orders");
    DataStream<String> payments =
        builder.fromSource(
            KafkaSource.topic(paymentsTopic, Serdes.String()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(5)),
            "payments");
    // [docs:window-join]
    orders
        .join(payments)
        .where(OrderPayments::orderId, Serdes.String())
        .equalTo(OrderPayments::orderId)
        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
        .apply((order, payment) -> orderId(order) + " " + rest(order) + " paid by " + rest(payment))
        .uid("orders-with-payments")
        .sinkTo(KafkaSink.topic(paidTopic, Serdes.String()));
    // [/docs:window-join]
    // [docs:cogroup]
    orders
        .coGroup(payments)
        .where(OrderPayments::orderId, Serdes.String())
        .equalTo(OrderPayments::orderId)
        .window(EventTimeSessionWindows.withGap(Duration.ofMinutes(30)))
        .<String>apply(
            (ordered, paid, out) -> {
              if (!paid.iterator().hasNext()) {
                ordered.forEach(order -> out.collect(orderId(order) + " unpaid"));
              }
            })
        .uid("unpaid-orders")
        .sinkTo(KafkaSink.topic(unpaidTopic, Serdes.String()));
    // [/docs:cogroup]
    return builder.build();
  }
}
