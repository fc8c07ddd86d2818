package dev.weir.examples.avro;

import dev.weir.WeirConfig;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.serde.avro.ReflectAvroSerde;
import dev.weir.serde.json.JsonSerde;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Running totals per customer from Avro payments: reads {@link Payment}s in the Confluent wire
 * format (schemas in a schema registry) from {@code payments}, keeps a {@link CustomerTotal} per
 * customer in an Avro keyed state (its schema registered under {@code
 * payment-totals-totals-total-value}, evolvable), and writes each new total as JSON to {@code
 * payment-totals}.
 *
 * <p>Run: {@code PaymentTotals [--bootstrap-servers host:port]}, with the registry's URL in the
 * environment variable {@code SCHEMA_REGISTRY_URL} (default {@code http://localhost:8081}).
 */
public final class PaymentTotals {
  private PaymentTotals() {}

  /**
   * Builds the pipeline.
   *
   * @param paymentsTopic where payments come from
   * @param totalsTopic where totals go
   * @return the topology
   */
  public static Topology topology(String paymentsTopic, String totalsTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:avro-pipeline]
    builder
        .fromSource(
            KafkaSource.topic(paymentsTopic, new ReflectAvroSerde<>(Payment.class)), "payments")
        .keyBy(p -> p.customer, Serdes.String())
        .process(new Totals())
        .uid("totals")
        .sinkTo(
            KafkaSink.topic(totalsTopic, JsonSerde.of(CustomerTotal.class))
                .withKey(t -> t.customer, Serdes.String()));
    // [/docs:avro-pipeline]
    return builder.build();
  }

  /** Adds each payment to its customer's total. */
  static final class Totals extends KeyedProcessFunction<String, Payment, CustomerTotal> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<CustomerTotal> total;

    // [docs:avro-state]
    @Override
    public void open() {
      total =
          getRuntimeContext()
              .getState(
                  new ValueStateDescriptor<>("total", new ReflectAvroSerde<>(CustomerTotal.class)));
    }

    // [/docs:avro-state]

    @Override
    public void processElement(Payment p, Context ctx, Collector<CustomerTotal> out) {
      CustomerTotal t = total.value();
      if (t == null) {
        t = new CustomerTotal();
        t.customer = p.customer;
      }
      t.payments++;
      t.cents += p.cents;
      t.largest = Math.max(t.largest, p.cents);
      total.update(t);
      out.collect(t);
    }
  }

  /**
   * The settings.
   *
   * @param applicationId the application id
   * @param schemaRegistryUrl the registry, e.g. {@code http://localhost:8081}
   * @return the settings, without {@code bootstrap.servers}
   */
  public static Properties config(String applicationId, String schemaRegistryUrl) {
    // [docs:avro-config]
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, applicationId);
    // Weir passes its whole configuration to every serde's configure(...).
    config.put("schema.registry.url", schemaRegistryUrl);
    // [/docs:avro-config]
    return config;
  }

  /**
   * Runs the application until interrupted.
   *
   * @param args see {@link ExampleRunner}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    String registry = System.getenv().getOrDefault("SCHEMA_REGISTRY_URL", "http://localhost:8081");
    ExampleRunner.run(
        args,
        config("payment-totals", registry),
        topology("payments", "payment-totals"),
        "payments",
        "payment-totals");
  }
}
