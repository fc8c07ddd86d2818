package dev.weir.testing;

import dev.weir.WeirConfig;
import dev.weir.internal.config.Settings;
import dev.weir.internal.driver.DriverCore;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.stream.Topology;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Runs a topology on the calling thread without a broker, deterministically: the same operator and
 * task code as production, with in-memory topics (one partition each) and a manual processing-time
 * clock. Each piped record is processed to completion, including everything it causes downstream of
 * repartition topics, and then committed.
 *
 * <pre>{@code
 * try (WeirTestDriver driver = new WeirTestDriver(topology)) {
 *   TestInputTopic<String, String> in =
 *       driver.createInputTopic("lines", new StringSerializer(), new StringSerializer());
 *   TestOutputTopic<String, Long> out =
 *       driver.createOutputTopic("counts", new StringDeserializer(), new LongDeserializer());
 *   in.pipeInput("a b a", 1_000L);
 *   assertThat(out.readValuesToList()).containsExactly(1L, 1L, 2L);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use from one thread. A record whose processing fails under the {@code fail}
 * handler throws {@link dev.weir.errors.RecordProcessingException} from {@code pipeInput}.
 */
public final class WeirTestDriver implements AutoCloseable {
  private final DriverCore core;

  /**
   * Creates a driver with default settings ({@code application.id=test-driver}).
   *
   * @param topology the topology under test
   */
  public WeirTestDriver(Topology topology) {
    this(topology, new Properties());
  }

  /**
   * Creates a driver with settings (error handlers, application id).
   *
   * @param topology the topology under test
   * @param config Weir settings; {@code bootstrap.servers} is not needed
   */
  public WeirTestDriver(Topology topology, Properties config) {
    this(topology, config, 0L);
  }

  /**
   * Creates a driver whose processing-time clock starts at {@code startProcessingTimeMs}.
   *
   * @param topology the topology under test
   * @param config Weir settings
   * @param startProcessingTimeMs the initial processing time
   */
  public WeirTestDriver(Topology topology, Properties config, long startProcessingTimeMs) {
    this.core =
        new DriverCore(
            Objects.requireNonNull(topology, "topology"),
            settings(Objects.requireNonNull(config, "config")),
            startProcessingTimeMs);
  }

  /**
   * Creates a handle to pipe records into a source topic.
   *
   * @param topic a source topic of the topology
   * @param keySerializer serialises keys
   * @param valueSerializer serialises values
   * @param <K> key type
   * @param <V> value type
   * @return the input topic
   */
  public <K, V> TestInputTopic<K, V> createInputTopic(
      String topic, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    return new TestInputTopic<>(core, topic, keySerializer, valueSerializer);
  }

  /**
   * Creates a handle to read records written to a topic (a sink, a side output's sink, the
   * dead-letter topic).
   *
   * @param topic the topic
   * @param keyDeserializer deserialises keys
   * @param valueDeserializer deserialises values
   * @param <K> key type
   * @param <V> value type
   * @return the output topic
   */
  public <K, V> TestOutputTopic<K, V> createOutputTopic(
      String topic, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    return new TestOutputTopic<>(core, topic, keyDeserializer, valueDeserializer);
  }

  /**
   * Reads a keyed state as {@code WeirApplication.query} does, so that tests can check what a
   * service built on queries would answer. The driver commits after every piped record, so a query
   * sees everything piped so far; the single task of each operator is always hosted here (one
   * partition per topic). TTL is judged by the driver's processing time.
   *
   * <pre>{@code
   * in.pipeInput("alice", "click");
   * assertThat(driver.query(StateQuery.value("counter", COUNT, Serdes.String())).get("alice"))
   *     .isEqualTo(1L);
   * }</pre>
   *
   * @param query which state; not null
   * @param <K> key type
   * @param <V> what a key's state reads as
   * @return a view that reads the state at each call; use it on the driver's thread
   * @throws dev.weir.query.StateQueryException with reason {@code UNKNOWN_STATE} when no stateful
   *     operator has the query's uid
   */
  public <K, V> ReadOnlyKeyedState<K, V> query(StateQuery<K, V> query) {
    return core.query(Objects.requireNonNull(query, "query"));
  }

  /**
   * Advances the processing-time clock.
   *
   * @param by how far; not negative
   */
  public void advanceProcessingTime(Duration by) {
    core.advanceProcessingTime(by.toMillis());
  }

  /**
   * Returns the processing-time clock.
   *
   * @return milliseconds
   */
  public long processingTime() {
    return core.processingTime();
  }

  /**
   * Returns the driver's metrics, as {@code WeirApplication.metrics()} returns an application's:
   * the same names, groups and meaning (docs/operations.md), with {@code client-id} {@code
   * <application.id>-driver} and {@code thread-id} {@code driver}. Rates and windows run on the
   * driver's processing-time clock, and processing time stands still while a record is processed,
   * so sampled process and commit latencies are 0. Not reported to JMX.
   *
   * @return an unmodifiable view of metric name to metric; not null
   */
  public Map<MetricName, ? extends Metric> metrics() {
    return Collections.unmodifiableMap(core.metricRegistry().metrics());
  }

  /**
   * Returns the driver's counters, with the names and meaning of {@code
   * WeirApplication.metricsSnapshot()} (docs/operations.md): {@code records-in} counts every record
   * a task reads, so a record that crosses a repartition topic counts once per hop, and watermark
   * markers read from repartition topics count too, as in production; {@code late-records-dropped},
   * {@code commits} and the state counters are included. Gauges of restores and state directories
   * are 0, and per-task event-time gauges are not reported.
   *
   * @return counter name to value, a new map
   */
  public Map<String, Long> metricsSnapshot() {
    return core.counters();
  }

  /** Closes the topology's operators. */
  @Override
  public void close() {
    core.close();
  }

  // Parsed here, not in the driver core, so that no internal package depends on WeirConfig.
  private static Settings settings(Map<?, ?> props) {
    Map<Object, Object> withDefaults = new HashMap<>(props);
    withDefaults.putIfAbsent(WeirConfig.APPLICATION_ID_CONFIG, "test-driver");
    withDefaults.putIfAbsent(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "test-driver:9092");
    return new Settings(new WeirConfig(withDefaults), WeirConfig.configDef().names());
  }
}
