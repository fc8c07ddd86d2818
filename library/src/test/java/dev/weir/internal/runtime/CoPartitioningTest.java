package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.functions.CoMapFunction;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The start-time error for a connected operator whose inputs' topics differ in partitions. */
class CoPartitioningTest {
  static final class Both implements CoMapFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String map1(String v) {
      return v;
    }

    @Override
    public String map2(String v) {
      return v;
    }
  }

  private static Plan plan(boolean keyed) {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> left = b.fromSource(KafkaSource.topic("left", Serdes.String()), "left");
    DataStream<String> right = b.fromSource(KafkaSource.topic("right", Serdes.String()), "right");
    (keyed ? left.connect(right).keyBy(v -> v, v -> v, Serdes.String()) : left.connect(right))
        .map(new Both())
        .name("both")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return TopologyAccess.plan(b.build(), "app");
  }

  private static SubTopology withOperator(Plan p) {
    return p.subTopologies().stream()
        .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals("both")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void unkeyedInputsWithDifferentPartitionCountsAreNamedWithTheFix() {
    Plan p = plan(false);
    assertThat(CoPartitioning.describe(p, withOperator(p), Map.of("left", 2, "right", 4)))
        .isEqualTo(
            "Operator 'both' connects 'left' reading {left=2} and 'right' reading {right=4}"
                + " (topic=partitions): its inputs must be co-partitioned, because task p reads"
                + " partition p of both. Give the input topics equal partition counts, or"
                + " rebalance() or keyBy(...) one input.");
    assertThat(CoPartitioning.describe(p, withOperator(p), Map.of("left", 3, "right", 3))).isNull();
  }

  @Test
  void keyedInputsNameTheirRepartitionTopics() {
    Plan p = plan(true);
    assertThat(
            CoPartitioning.describe(
                p,
                withOperator(p),
                Map.of("app-left-keyBy-repartition", 2, "app-right-keyBy-repartition", 4)))
        .isEqualTo(
            "Operator 'both' connects 'keyBy-2' reading {app-left-keyBy-repartition=2} and"
                + " 'keyBy-3' reading {app-right-keyBy-repartition=4} (topic=partitions): its"
                + " inputs must be co-partitioned, because task p reads partition p of both. Give"
                + " both keyBy(...) the same Repartition.withPartitions(n), or give the source"
                + " topics equal partition counts.");
  }
}
