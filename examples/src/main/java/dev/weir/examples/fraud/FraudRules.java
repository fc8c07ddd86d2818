package dev.weir.examples.fraud;

import dev.weir.functions.Collector;
import dev.weir.functions.KeyedBroadcastProcessFunction;
import dev.weir.state.MapStateDescriptor;
import dev.weir.stream.BroadcastStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Fraud rules by broadcast state: analysts publish limit rules ("name,maximum"; "name," deletes the
 * rule) to a one-partition topic; every task of the check reads all of them and checks each
 * account's transactions against every rule. Rules can be added, replaced and removed while the job
 * runs; each task keeps them in its state, committed with its output.
 */
public final class FraudRules {
  /** The broadcast state: rule name to the largest amount it allows. */
  static final MapStateDescriptor<String, String> LIMITS =
      new MapStateDescriptor<>("limits", Serdes.String(), Serdes.String());

  private FraudRules() {}

  /**
   * Builds the pipeline.
   *
   * @param transactionsTopic transactions, as {@link Transaction#toText()}
   * @param rulesTopic rules "name,maximum" or "name," to delete; one partition
   * @param alertsTopic alerts "account: rule: amount"
   * @return the topology
   */
  public static Topology topology(String transactionsTopic, String rulesTopic, String alertsTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:broadcast-rules]
    BroadcastStream<String> rules =
        builder
            .fromSource(KafkaSource.topic(rulesTopic, Serdes.String()), "rules")
            .broadcast(LIMITS);
    builder
        .fromSource(KafkaSource.topic(transactionsTopic, Transaction.SERDE), "transactions")
        .keyBy(Transaction::account, Serdes.String())
        .connect(rules)
        .process(new CheckLimits())
        .uid("check-limits")
        .sinkTo(KafkaSink.topic(alertsTopic, Serdes.String()));
    // [/docs:broadcast-rules]
    return builder.build();
  }

  /** Checks every transaction against every rule; keeps the rules in broadcast state. */
  // [docs:check-limits]
  static final class CheckLimits
      extends KeyedBroadcastProcessFunction<String, Transaction, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Transaction tx, ReadOnlyContext ctx, Collector<String> out)
        throws Exception {
      for (Map.Entry<String, String> rule :
          ctx.getBroadcastState(LIMITS).immutableEntries().entrySet()) {
        if (tx.amount().compareTo(new BigDecimal(rule.getValue())) > 0) {
          out.collect(tx.account() + ": " + rule.getKey() + ": " + tx.amount());
        }
      }
    }

    @Override
    public void processBroadcastElement(String rule, Context ctx, Collector<String> out)
        throws Exception {
      String[] f = rule.split(",", -1);
      if (f[1].isEmpty()) {
        ctx.getBroadcastState(LIMITS).remove(f[0]);
      } else {
        ctx.getBroadcastState(LIMITS).put(f[0], new BigDecimal(f[1]).toPlainString());
      }
    }
  }
  // [/docs:check-limits]
}
