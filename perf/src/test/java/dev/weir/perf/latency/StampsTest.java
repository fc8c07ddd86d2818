package dev.weir.perf.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampsTest {
  @Test
  void stampRoundTrips() {
    byte[] v = Stamps.encode(1_700_000_000_123L, 1_700_000_000_456L, 3, 77);
    long[] d = Stamps.decode(new org.apache.kafka.common.header.internals.RecordHeader("h", v));
    assertThat(d).containsExactly(1_700_000_000_123L, 1_700_000_000_456L, 3, 77);
    assertThat(Stamps.decode(null)).isNull();
  }

  @Test
  void outputRecordsCarryTheirPollAndTransaction() {
    Stamps stamps = new Stamps("out");
    MockProducer<byte[], byte[]> mock =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    Producer<byte[], byte[]> p = stamps.producer(mock);
    MockConsumer<byte[], byte[]> mc = new MockConsumer<>("earliest");
    TopicPartition in = new TopicPartition("in", 0);
    mc.assign(List.of(in));
    mc.updateBeginningOffsets(Map.of(in, 0L));
    mc.addRecord(new ConsumerRecord<>("in", 0, 0, new byte[0], new byte[0]));
    var c = stamps.consumer(mc);
    assertThat(c.poll(java.time.Duration.ZERO).count()).isEqualTo(1);

    p.initTransactions();
    p.beginTransaction();
    p.send(new ProducerRecord<>("out", new byte[] {1}));
    p.send(new ProducerRecord<>("changelog", new byte[] {2}));
    p.commitTransaction();
    p.beginTransaction();
    p.send(new ProducerRecord<>("out", new byte[] {3}));
    p.commitTransaction();

    List<ProducerRecord<byte[], byte[]>> sent = mock.history();
    long[] first = Stamps.decode(sent.get(0).headers().lastHeader(Stamps.HEADER));
    long[] third = Stamps.decode(sent.get(2).headers().lastHeader(Stamps.HEADER));
    assertThat(sent.get(1).headers().lastHeader(Stamps.HEADER)).isNull(); // not the output
    assertThat(first[0]).isPositive().isLessThanOrEqualTo(first[1]); // the poll, then the send
    assertThat(new long[] {first[2], first[3], third[2], third[3]}).containsExactly(0, 0, 0, 1);
    long[] commit0 = stamps.commit(0, 0);
    long[] commit1 = stamps.commit(0, 1);
    assertThat(commit0[0]).isGreaterThanOrEqualTo(first[1]).isLessThanOrEqualTo(commit0[1]);
    assertThat(commit1[0]).isGreaterThanOrEqualTo(commit0[1]);
    assertThat(stamps.commit(0, 2)).isNull();
    assertThat(stamps.commit(1, 0)).isNull();
  }

  @Test
  void brokerGcPausesAreReadFromTheLog(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("gc.log");
    Files.writeString(
        log,
        String.join(
            "\n",
            "[1765065600000ms] Using G1",
            "[1765065601000ms] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 51M->3M(1024M)"
                + " 4.512ms",
            "[1765065602000ms] GC(1) Pause Full (Allocation Failure) 700M->300M(1024M) 812.001ms",
            "[1765065603000ms] GC(2) Concurrent Mark Cycle 20.000ms",
            ""));
    List<long[]> pauses = Breakdown.gcPauses(log);
    assertThat(pauses).hasSize(2);
    assertThat(pauses.get(0)).containsExactly(1765065601000L, 5);
    assertThat(pauses.get(1)).containsExactly(1765065602000L, 813);
    assertThat(Breakdown.summary(pauses, 1765065601500L, 1765065609000L))
        .isEqualTo("1 pauses, 813 ms in all, longest 813 ms, 1 of at least 50 ms");
    assertThat(Breakdown.gcPauses(dir.resolve("absent"))).isEmpty();
  }
}
