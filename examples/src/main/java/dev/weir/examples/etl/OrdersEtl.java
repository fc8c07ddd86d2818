package dev.weir.examples.etl;

import dev.weir.WeirConfig;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.MapFunction;
import dev.weir.functions.RichFilterFunction;
import dev.weir.metrics.Counter;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Exactly-once topic-to-topic ETL: reads {@link Order}s from {@code orders}, drops zero amounts,
 * converts amounts to euros and writes {@code id,customer,amountEur} to {@code orders-eur}, keyed
 * by customer. Records that cannot be read (malformed text) or processed (an unknown currency) go
 * to the dead-letter topic {@code orders-dlq}, with headers saying where they came from and why, in
 * the same transaction as everything else.
 *
 * <p>Run: {@code OrdersEtl [--bootstrap-servers host:port]}.
 */
public final class OrdersEtl {
  private OrdersEtl() {}

  /**
   * Builds the pipeline.
   *
   * @param ordersTopic where orders come from
   * @param outputTopic where converted orders go
   * @return the topology
   */
  public static Topology topology(String ordersTopic, String outputTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:etl-pipeline]
    builder
        .fromSource(KafkaSource.topic(ordersTopic, Order.SERDE), "orders")
        .filter(new NonZero())
        .name("non-zero")
        .map(new ToEuros())
        .name("to-euros")
        .sinkTo(
            KafkaSink.topic(outputTopic, Serdes.String())
                .withKey(line -> line.split(",")[1], Serdes.String()));
    // [/docs:etl-pipeline]
    return builder.build();
  }

  /**
   * The settings: exactly-once (the default, spelled out) and both error handlers set to the
   * dead-letter topic.
   *
   * @param applicationId the application id
   * @param deadLetterTopic where failed records go
   * @return the settings, without {@code bootstrap.servers}
   */
  public static Properties config(String applicationId, String deadLetterTopic) {
    // [docs:etl-config]
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.EXACTLY_ONCE);
    config.put(WeirConfig.DESERIALIZATION_HANDLER_CONFIG, WeirConfig.HANDLER_DEAD_LETTER);
    config.put(WeirConfig.PROCESSING_HANDLER_CONFIG, WeirConfig.HANDLER_DEAD_LETTER);
    config.put(WeirConfig.DEAD_LETTER_TOPIC_CONFIG, deadLetterTopic);
    // [/docs:etl-config]
    return config;
  }

  /**
   * Drops orders of amount zero, counting them in the user metric {@code droppedElements} (JMX:
   * {@code dev.weir:type=user-metrics,...,operator=non-zero}).
   */
  // [docs:user-metrics]
  static final class NonZero extends RichFilterFunction<Order> {
    private static final long serialVersionUID = 1L;
    private transient Counter droppedElements;

    @Override
    public void open() {
      droppedElements = getRuntimeContext().getMetricGroup().counter("droppedElements");
    }

    @Override
    public boolean filter(Order order) {
      if (order.amount().signum() == 0) {
        droppedElements.inc();
        return false;
      }
      return true;
    }
  }

  // [/docs:user-metrics]

  /** Converts an order's amount to euros; throws for currencies it does not know. */
  static final class ToEuros implements MapFunction<Order, String> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, BigDecimal> EUROS_PER_UNIT =
        Map.of("EUR", BigDecimal.ONE, "USD", new BigDecimal("0.92"), "GBP", new BigDecimal("1.17"));

    @Override
    public String map(Order order) {
      BigDecimal rate = EUROS_PER_UNIT.get(order.currency());
      if (rate == null) {
        throw new IllegalArgumentException("Unknown currency " + order.currency());
      }
      BigDecimal euros = order.amount().multiply(rate).setScale(2, RoundingMode.HALF_EVEN);
      return order.id() + "," + order.customer() + "," + euros.toPlainString();
    }
  }

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    ExampleRunner.run(
        args,
        config("orders-etl", "orders-dlq"),
        topology("orders", "orders-eur"),
        "orders",
        "orders-eur",
        "orders-dlq");
  }
}
