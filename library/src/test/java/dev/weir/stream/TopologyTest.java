package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** A built topology cannot be changed through the streams it was built from. */
class TopologyTest {

  @Test
  void aStreamOfABuiltTopologyCannotRenameOrRetypeItsOperator() {
    StreamBuilder b = new StreamBuilder();
    SingleOutputStreamOperator<String> upper =
        b.fromSource(KafkaSource.topic("in", Serdes.String()), "in").map(String::toUpperCase);
    upper.name("upper").sinkTo(KafkaSink.topic("out", Serdes.String()));
    Topology topology = b.build();
    String before = topology.describe();

    assertThatThrownBy(() -> upper.name("lower"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "'upper' belongs to a topology that was already built: call name(...) before"
                + " StreamBuilder.build()");
    assertThatThrownBy(() -> upper.uid("lower"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call uid(...) before StreamBuilder.build()");
    assertThatThrownBy(() -> upper.returns(Serdes.String()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call returns(...) before StreamBuilder.build()");
    assertThat(topology.describe()).isEqualTo(before);
  }
}
