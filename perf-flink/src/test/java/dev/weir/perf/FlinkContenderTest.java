package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.Test;

class FlinkContenderTest {
  @Test
  void tuneKeepsTimersOnTheHeapAndReusesObjects() {
    Configuration c = new Configuration();
    FlinkContender.tune(c);
    assertThat(c.get(RocksDBOptions.TIMER_SERVICE_FACTORY)).isEqualTo(PriorityQueueStateType.HEAP);
    assertThat(c.get(PipelineOptions.OBJECT_REUSE)).isTrue();
  }

  @Test
  void extraConfigOverridesTheTuning() {
    Configuration c = new Configuration();
    FlinkContender.tune(c);
    c.addAll(
        Configuration.fromMap(
            FlinkContender.extraConfig(
                " state.backend.rocksdb.timer-service.factory = ROCKSDB ;;pipeline.object-reuse=false;")));
    assertThat(c.get(RocksDBOptions.TIMER_SERVICE_FACTORY))
        .isEqualTo(PriorityQueueStateType.ROCKSDB);
    assertThat(c.get(PipelineOptions.OBJECT_REUSE)).isFalse();
  }

  @Test
  void extraConfigOfNothingIsEmptyAndAPairWithoutKeyIsRejected() {
    assertThat(FlinkContender.extraConfig(null)).isEqualTo(Map.of());
    assertThat(FlinkContender.extraConfig("  ")).isEqualTo(Map.of());
    assertThatThrownBy(() -> FlinkContender.extraConfig("a=1;=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(FlinkContender.EXTRA_CONFIG_ENV);
  }

  @Test
  void sinksBatchAsWeirsProducerDoes() {
    assertThat(FlinkContender.producerProperties())
        .containsEntry("transaction.timeout.ms", "600000")
        .containsEntry("linger.ms", "100")
        .containsEntry("batch.size", "65536");
  }
}
