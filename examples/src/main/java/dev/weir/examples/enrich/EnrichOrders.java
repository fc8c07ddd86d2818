package dev.weir.examples.enrich;

import dev.weir.functions.Collector;
import dev.weir.functions.KeyedCoProcessFunction;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Enrichment with the latest user record, Kafka Streams' stream-table join on connected keyed
 * streams: {@code users} (compacted, "userId,name"; an empty name deletes the user) is the table,
 * {@code orders} ("orderId,userId,item") the stream. An order of a known user is enriched at once;
 * an order of a user not seen yet waits in state until the user arrives, or is emitted unmatched
 * when event time passes ten seconds after it.
 */
public final class EnrichOrders {
  static final long WAIT_MS = 10_000;

  private EnrichOrders() {}

  /**
   * Builds the pipeline.
   *
   * @param ordersTopic orders "orderId,userId,item"
   * @param usersTopic users "userId,name", compacted
   * @param outTopic enriched orders "orderId item for name", or "orderId item: unknown user"
   * @return the topology
   */
  public static Topology topology(String ordersTopic, String usersTopic, String outTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:enrich-orders]
    KeyedStream<String, String> orders =
        builder
            .fromSource(
                KafkaSource.topic(ordersTopic, Serdes.String()),
                dev.weir.eventtime.WatermarkStrategy.<String>forMonotonousTimestamps(),
                "orders")
            .keyBy(o -> o.split(",")[1], Serdes.String());
    KeyedStream<String, String> users =
        builder
            .fromSource(
                KafkaSource.topic(usersTopic, Serdes.String()),
                dev.weir.eventtime.WatermarkStrategy.<String>forMonotonousTimestamps()
                    .withIdleness(java.time.Duration.ofSeconds(30)),
                "users")
            .keyBy(u -> u.split(",")[0], Serdes.String());
    orders
        .connect(users)
        .process(new LatestUser())
        .uid("enrich-orders")
        .sinkTo(KafkaSink.topic(outTopic, Serdes.String()));
    // [/docs:enrich-orders]
    return builder.build();
  }

  /** Keeps the latest name per user; enriches orders with it, buffering those that come early. */
  // [docs:latest-user]
  static final class LatestUser extends KeyedCoProcessFunction<String, String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<String> name;
    private transient ListState<String> waiting;

    @Override
    public void open() {
      name = getRuntimeContext().getState(new ValueStateDescriptor<>("name", Serdes.String()));
      waiting =
          getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", Serdes.String()));
    }

    @Override
    public void processElement1(String order, Context ctx, Collector<String> out) throws Exception {
      String[] f = order.split(",");
      String n = name.value();
      if (n != null) {
        out.collect(f[0] + " " + f[2] + " for " + n);
      } else {
        waiting.add(f[0] + " " + f[2]);
        ctx.timerService().registerEventTimeTimer(ctx.timestamp() + WAIT_MS);
      }
    }

    @Override
    public void processElement2(String user, Context ctx, Collector<String> out) throws Exception {
      String[] f = user.split(",", -1);
      if (f[1].isEmpty()) {
        name.clear();
        return;
      }
      name.update(f[1]);
      for (String order : waiting.get()) {
        out.collect(order + " for " + f[1]);
      }
      waiting.clear();
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<String> out) throws Exception {
      for (String order : waiting.get()) {
        out.collect(order + ": unknown user " + ctx.getCurrentKey());
      }
      waiting.clear();
    }
  }
  // [/docs:latest-user]
}
