package dev.weir.examples.fraud;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A fraud rule: a small transaction (below 1.00) immediately followed, on the same account and
 * within one minute of event time, by a large one (above 500.00) raises an alert; thieves test a
 * stolen card with a small charge before a large one. Reads {@code transactions}, writes {@code
 * fraud-alerts}.
 *
 * <p>Run: {@code FraudDetection [--bootstrap-servers host:port]}.
 */
public final class FraudDetection {
  private FraudDetection() {}

  /**
   * Builds the pipeline.
   *
   * @param transactionsTopic where transactions come from
   * @param alertsTopic where alerts go, keyed by account
   * @return the topology
   */
  public static Topology topology(String transactionsTopic, String alertsTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:fraud-pipeline]
    builder
        .fromSource(
            KafkaSource.topic(transactionsTopic, Transaction.SERDE),
            WatermarkStrategy.<Transaction>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                .withTimestampAssigner((tx, kafkaTimestamp) -> tx.timestamp())
                .withIdleness(Duration.ofMinutes(1)),
            "transactions")
        .keyBy(Transaction::account, Serdes.String())
        .process(new SmallThenLarge())
        .uid("small-then-large")
        .sinkTo(
            KafkaSink.topic(alertsTopic, Serdes.String())
                .withKey(alert -> alert.substring(0, alert.indexOf(':')), Serdes.String()));
    // [/docs:fraud-pipeline]
    return builder.build();
  }

  // [docs:small-then-large]
  /** Remembers an account's last small transaction for one minute; alerts on a large one. */
  static final class SmallThenLarge extends KeyedProcessFunction<String, Transaction, String> {
    private static final long serialVersionUID = 1L;
    static final BigDecimal SMALL = new BigDecimal("1.00");
    static final BigDecimal LARGE = new BigDecimal("500.00");
    static final long ONE_MINUTE = Duration.ofMinutes(1).toMillis();

    private transient ValueState<Long> smallAt; // event time of the small transaction, if any

    @Override
    public void open() {
      smallAt = getRuntimeContext().getState(new ValueStateDescriptor<>("small-at", Serdes.Long()));
    }

    @Override
    public void processElement(Transaction tx, Context ctx, Collector<String> out) {
      Long small = smallAt.value();
      if (small != null) {
        if (tx.amount().compareTo(LARGE) > 0 && tx.timestamp() <= small + ONE_MINUTE) {
          out.collect(
              tx.account() + ": small transaction then " + tx.amount() + " at " + tx.timestamp());
        }
        // Any next transaction ends the pattern; its cleanup timer is no longer needed.
        ctx.timerService().deleteEventTimeTimer(small + ONE_MINUTE);
        smallAt.clear();
      }
      if (tx.amount().compareTo(SMALL) < 0) {
        smallAt.update(tx.timestamp());
        ctx.timerService().registerEventTimeTimer(tx.timestamp() + ONE_MINUTE);
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      smallAt.clear(); // a minute passed without a large transaction: forget the small one
    }
  }

  // [/docs:small-then-large]

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "fraud-detection");
    ExampleRunner.run(
        args, config, topology("transactions", "fraud-alerts"), "transactions", "fraud-alerts");
  }
}
