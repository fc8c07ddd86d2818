package dev.weir.chaos;

import dev.weir.KafkaClientSupplier;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Weir's client-supplier seam with faults: every producer Weir creates is a {@link FaultyProducer}
 * around a real one; consumers and admin clients are the real ones.
 */
public final class FaultInjectingClientSupplier implements KafkaClientSupplier {
  private final KafkaClientSupplier delegate;
  private final CrashSwitch crashSwitch;
  private final double commitFaultRate;
  private final long seed;
  private final AtomicInteger producers = new AtomicInteger();

  /**
   * Creates the supplier.
   *
   * @param delegate creates the real clients
   * @param crashSwitch the switch the driver arms to crash this instance in a commit
   * @param commitFaultRate probability per {@code commitTransaction} of an injected exception (see
   *     {@link FaultyProducer.Fault}; {@code beginTransaction} and {@code sendOffsetsToTransaction}
   *     draw with a quarter and half of it); 0 for none
   * @param seed seeds each producer's random faults, together with the producer's number
   */
  public FaultInjectingClientSupplier(
      KafkaClientSupplier delegate, CrashSwitch crashSwitch, double commitFaultRate, long seed) {
    this.delegate = delegate;
    this.crashSwitch = crashSwitch;
    this.commitFaultRate = commitFaultRate;
    this.seed = seed;
  }

  @Override
  public Producer<byte[], byte[]> producer(Map<String, Object> config) {
    int n = producers.incrementAndGet();
    String name = String.valueOf(config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "producer"));
    return new FaultyProducer(
        delegate.producer(config),
        crashSwitch,
        new SplittableRandom(Workload.mix(seed + n)),
        commitFaultRate,
        name + "#" + n);
  }

  @Override
  public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return delegate.consumer(config);
  }

  @Override
  public Admin admin(Map<String, Object> config) {
    return delegate.admin(config);
  }
}
