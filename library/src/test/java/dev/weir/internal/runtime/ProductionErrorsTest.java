package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirConfig;
import dev.weir.errors.DeadLetterHeaders;
import dev.weir.errors.ProductionExceptionHandler;
import dev.weir.errors.WeirException;
import dev.weir.internal.config.Settings;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.task.TaskMetrics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** errors.production.handler on a thread's producer: a too-large record under each handler. */
class ProductionErrorsTest {
  private final TaskMetrics metrics = new TaskMetrics();
  private final MockProducer<byte[], byte[]> mock =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private ThreadProducer producer(String handler, boolean exactlyOnce) {
    Map<Object, Object> p = new HashMap<>();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    p.put(WeirConfig.PRODUCTION_HANDLER_CONFIG, handler);
    p.put(
        WeirConfig.PROCESSING_GUARANTEE_CONFIG,
        exactlyOnce ? WeirConfig.EXACTLY_ONCE : WeirConfig.AT_LEAST_ONCE);
    p.put("producer.max.request.size", 1000);
    Settings s = TestSettings.of(p);
    ApplicationRuntime.validate(s);
    Map<String, Object> producerConfig = new ClientConfigs(s, "i").producer(0);
    KafkaClients clients = (ProducerOnlyClients) config -> mock;
    ThreadProducer tp =
        new ThreadProducer(
            clients,
            producerConfig,
            exactlyOnce,
            new ProductionErrors(
                "thread-0", s, producerConfig, ProductionErrors.handler(s), metrics));
    tp.init();
    return tp;
  }

  private static byte[] bytes(int n) {
    return new byte[n];
  }

  private List<String> sentTopics() {
    return mock.history().stream().map(ProducerRecord::topic).toList();
  }

  @Test
  void sizeBoundIsTheProducersOwn() {
    RecordHeaders h = new RecordHeaders();
    h.add("a", bytes(3));
    h.add("bb", null);
    // A sink without a header writer passes null: the bound is that of a record without headers.
    for (RecordHeaders headers : java.util.Arrays.asList(h, null)) {
      org.apache.kafka.common.header.Header[] asArray =
          headers == null ? new org.apache.kafka.common.header.Header[0] : headers.toArray();
      for (byte[] key : new byte[][] {null, bytes(0), bytes(200)}) {
        for (int v : new int[] {0, 63, 64, 8191, 8192, 100_000, 1_048_575, 1_048_576}) {
          assertThat(ProductionErrors.sizeUpperBound(key, bytes(v), headers))
              .as(
                  "headers %s, key %s, value of %d bytes",
                  headers, key == null ? null : key.length, v)
              .isEqualTo(
                  AbstractRecords.estimateSizeInBytesUpperBound(
                      RecordBatch.CURRENT_MAGIC_VALUE,
                      CompressionType.NONE,
                      key,
                      bytes(v),
                      asArray));
        }
      }
    }
  }

  @Test
  void skipUnderExactlyOnceDropsOnlyTheLargeRecordAndTheTransactionCommits() {
    ThreadProducer tp = producer(WeirConfig.HANDLER_LOG_AND_SKIP, true);
    tp.send("out", null, null, bytes(10), 1L, new RecordHeaders());
    tp.send("out", null, null, bytes(5000), 2L, new RecordHeaders());
    tp.send("out", null, null, bytes(20), 3L, new RecordHeaders());
    tp.commitTransaction(Map.of(), null);

    assertThat(mock.history()).extracting(r -> r.value().length).containsExactly(10, 20);
    assertThat(mock.transactionCommitted()).isTrue();
    assertThat(metrics.productionErrorsSkipped.sum()).isEqualTo(1);
  }

  @Test
  void deadLetterWritesTheKeyAndTheErrorButNotTheValue() {
    ThreadProducer tp = producer(WeirConfig.HANDLER_DEAD_LETTER, true);
    tp.send("out", null, "k".getBytes(StandardCharsets.UTF_8), bytes(5000), 2L, null);
    tp.commitTransaction(Map.of(), null);

    assertThat(sentTopics()).containsExactly("app-dlq");
    ProducerRecord<byte[], byte[]> dl = mock.history().get(0);
    assertThat(dl.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
    assertThat(dl.value()).isNull();
    assertThat(new String(dl.headers().lastHeader(DeadLetterHeaders.TOPIC).value(), UTF8))
        .isEqualTo("out");
    assertThat(new String(dl.headers().lastHeader(DeadLetterHeaders.EXCEPTION_CLASS).value(), UTF8))
        .isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
    assertThat(metrics.productionErrorsDeadLettered.sum()).isEqualTo(1);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  @Test
  void failStopsTheThreadWithTheTopicAndTheFixInsteadOfRollingBack() {
    ThreadProducer tp = producer(WeirConfig.HANDLER_FAIL, true);
    assertThatThrownBy(() -> tp.send("out", null, null, bytes(5000), 2L, null))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("thread-0: a record for topic out cannot be written")
        .hasMessageContaining("RecordTooLargeException")
        .hasMessageContaining("limit of 1000 bytes")
        .hasMessageContaining("errors.production.handler=fail stops here")
        .hasMessageContaining("raise producer.max.request.size");
    // Not a failure of the commit path: the thread dies instead of retrying the same record.
    assertThat(
            CommitFailurePolicy.classify(
                new WeirException("x") /* what send threw is a WeirException */))
        .isEqualTo(CommitFailurePolicy.Action.FAIL_THREAD);
  }

  /** A handler of the user's: dead-letters too-large records only. */
  public static final class Custom implements ProductionExceptionHandler {
    @Override
    public Response handle(String topic, byte[] key, byte[] value, Exception error) {
      return topic.equals("out") ? Response.SKIP : Response.FAIL;
    }
  }

  @Test
  void aHandlerClassIsUsedAndABadOneIsRejectedUpFront() {
    ThreadProducer tp = producer(Custom.class.getName(), false);
    tp.send("out", null, null, bytes(5000), 2L, null);
    tp.flush();
    assertThat(mock.history()).isEmpty();
    assertThat(metrics.productionErrorsSkipped.sum()).isEqualTo(1);

    assertThatThrownBy(() -> producer("no.such.Handler", true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'errors.production.handler=no.such.Handler'")
        .hasMessageContaining("neither fail, log_and_skip, dead_letter nor a class");
    assertThatThrownBy(() -> producer(String.class.getName(), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("java.lang.String does not implement");
  }
}
