package dev.weir.examples.joins;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.SingleOutputStreamOperator;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Joins orders with the shipments that left within a day of them: an interval join keyed by order
 * id. Reads {@code orders} ({@code "orderId,amount"}) and {@code shipments} ({@code
 * "orderId,carrier"}), both with event time in the record timestamp; writes {@code "orderId shipped
 * by carrier after N min (amount A)"} to {@code shipped-orders}, timestamped with the shipment, and
 * shipments that arrive after the watermark passed them to {@code late-shipments}.
 *
 * <p>An order with two shipments yields two results; an order never shipped within the day, and a
 * shipment with no order, yield nothing (the join is inner: find them with a coGroup or a keyed
 * co-process function instead).
 *
 * <p>Run: {@code OrderShipments [--bootstrap-servers host:port]}.
 */
public final class OrderShipments {
  private OrderShipments() {}

  /** Shipments that came too late to be joined. */
  static final OutputTag<String> LATE_SHIPMENTS = OutputTag.of("late-shipments", Serdes.String());

  /**
   * Builds the pipeline.
   *
   * @param ordersTopic where orders come from
   * @param shipmentsTopic where shipments come from
   * @param shippedTopic where joined results go
   * @param lateTopic where late shipments go
   * @return the topology
   */
  public static Topology topology(
      String ordersTopic, String shipmentsTopic, String shippedTopic, String lateTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:interval-join]
    KeyedStream<String, String> orders =
        builder
            .fromSource(
                KafkaSource.topic(ordersTopic, Serdes.String()),
                WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMinutes(1)),
                "orders")
            .keyBy(OrderShipments::orderId, Serdes.String());
    KeyedStream<String, String> shipments =
        builder
            .fromSource(
                KafkaSource.topic(shipmentsTopic, Serdes.String()),
                WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMinutes(1)),
                "shipments")
            .keyBy(OrderShipments::orderId, Serdes.String());
    SingleOutputStreamOperator<String> shipped =
        orders
            .intervalJoin(shipments)
            .between(Duration.ZERO, Duration.ofDays(1)) // shipped within a day after the order
            .sideOutputRightLateData(LATE_SHIPMENTS)
            .process(new Describe())
            .uid("orders-with-shipments");
    // [/docs:interval-join]
    shipped.sinkTo(KafkaSink.topic(shippedTopic, Serdes.String()));
    shipped.getSideOutput(LATE_SHIPMENTS).sinkTo(KafkaSink.topic(lateTopic, Serdes.String()));
    return builder.build();
  }

  static String orderId(String line) {
    return line.substring(0, line.indexOf(','));
  }

  /** {@code "o1 shipped by ups after 120 min (amount 30)"}. */
  static final class Describe extends ProcessJoinFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String order, String shipment, Context ctx, Collector<String> out) {
      long minutes =
          Duration.ofMillis(ctx.getRightTimestamp() - ctx.getLeftTimestamp()).toMinutes();
      out.collect(
          orderId(order)
              + " shipped by "
              + shipment.substring(shipment.indexOf(',') + 1)
              + " after "
              + minutes
              + " min (amount "
              + order.substring(order.indexOf(',') + 1)
              + ")");
    }
  }

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "order-shipments");
    ExampleRunner.run(
        args,
        config,
        topology("orders", "shipments", "shipped-orders", "late-shipments"),
        "orders",
        "shipments",
        "shipped-orders",
        "late-shipments");
  }
}
