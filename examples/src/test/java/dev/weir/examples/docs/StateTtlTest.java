package dev.weir.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.StateTtlConfig;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** State with a time-to-live, as shown in docs/state.md. */
class StateTtlTest {
  /** Tells whether a user was seen within the last seven days. */
  static final class SeenRecently extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> lastSeen;

    @Override
    public void open() {
      // [docs:ttl]
      ValueStateDescriptor<Long> descriptor =
          new ValueStateDescriptor<>("last-seen", Serdes.Long());
      descriptor.enableTimeToLive(
          StateTtlConfig.newBuilder(Duration.ofDays(7))
              .setUpdateType(StateTtlConfig.UpdateType.ON_CREATE_AND_WRITE) // the default
              .setStateVisibility(StateTtlConfig.StateVisibility.NEVER_RETURN_EXPIRED) // default
              .build());
      lastSeen = getRuntimeContext().getState(descriptor);
      // [/docs:ttl]
    }

    @Override
    public void processElement(String user, Context ctx, Collector<String> out) {
      out.collect(user + (lastSeen.value() == null ? " is new" : " was seen recently"));
      lastSeen.update(ctx.currentProcessingTime());
    }
  }

  @Test
  void aValueExpiresSevenDaysAfterItWasWritten() {
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.topic("logins", Serdes.String()), "logins")
        .keyBy(user -> user, Serdes.String())
        .process(new SeenRecently())
        .uid("seen-recently")
        .sinkTo(KafkaSink.topic("seen", Serdes.String()));
    try (WeirTestDriver driver = new WeirTestDriver(builder.build(), new Properties(), 0L)) {
      TestInputTopic<String, String> logins =
          driver.createInputTopic("logins", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> seen =
          driver.createOutputTopic("seen", new StringDeserializer(), new StringDeserializer());
      logins.pipeInput("ann");
      driver.advanceProcessingTime(Duration.ofDays(6));
      logins.pipeInput("ann"); // written again: seven more days
      driver.advanceProcessingTime(Duration.ofDays(6));
      logins.pipeInput("ann");
      driver.advanceProcessingTime(Duration.ofDays(8));
      logins.pipeInput("ann");
      assertThat(seen.readValuesToList())
          .containsExactly(
              "ann is new", "ann was seen recently", "ann was seen recently", "ann is new");
    }
  }
}
