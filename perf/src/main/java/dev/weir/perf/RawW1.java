package dev.weir.perf;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * W1 with plain clients, the ceiling for a framework on this broker: one consumer and one producer
 * on one thread, the same parse/filter/enrich as the others. Exactly-once: a transaction per 100 ms
 * with the consumed offsets in it ({@code sendOffsetsToTransaction} with the group metadata).
 * At-least-once: every 100 ms flush the producer, then commit the offsets synchronously. The
 * producer batches like Weir's at its defaults (64 KiB batches; linger 100 ms, the commit interval,
 * under exactly-once, 10 ms under at-least-once; {@link #LINGER_ENV} overrides the linger for
 * experiments); everything else is the clients' defaults.
 *
 * <p>Single-instance by design: a revocation commits what is open, nothing more elaborate.
 */
final class RawW1 implements Contender {
  private static final long COMMIT_INTERVAL_MS = 100;

  /** The environment variable that sets the producer's {@code linger.ms}, for experiments. */
  static final String LINGER_ENV = "PERF_RAW_LINGER_MS";

  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final Callback onSent =
      (md, e) -> {
        if (e != null) {
          sendFailure.compareAndSet(null, e);
        }
      };
  private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
  private KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> producer;
  private boolean exactlyOnce;
  private boolean inTransaction;
  private String output;
  private Thread loop;
  private volatile boolean stopping;

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    exactlyOnce = spec.exactlyOnce();
    output = spec.output();
    Map<String, Object> cc = new HashMap<>();
    cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap());
    cc.put(ConsumerConfig.GROUP_ID_CONFIG, spec.appId());
    cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(cc, new StringDeserializer(), new StringDeserializer());
    Map<String, Object> pc = new HashMap<>();
    pc.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap());
    // Weir's producer batching at its defaults, so the ceiling is not lowered by the clients'
    // smaller defaults: under exactly-once nothing is visible before the commit, so a batch may
    // linger up to the commit interval.
    String linger = System.getenv(LINGER_ENV);
    pc.put(
        ProducerConfig.LINGER_MS_CONFIG,
        linger != null && !linger.isBlank()
            ? Integer.parseInt(linger.trim())
            : exactlyOnce ? (int) COMMIT_INTERVAL_MS : 10);
    pc.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    if (exactlyOnce) {
      pc.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, spec.appId() + "-raw");
    }
    producer = new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer());
    if (exactlyOnce) {
      producer.initTransactions();
    }
    List<String> inputs = spec.inputs();
    loop =
        new Thread(
            () -> {
              try {
                run(inputs);
              } catch (Exception e) {
                if (!stopping) {
                  e.printStackTrace();
                  status.put("failed", ContenderMain.oneLine(e));
                }
              }
            },
            "raw-loop");
    loop.start();
  }

  private void run(List<String> inputs) {
    consumer.subscribe(
        inputs,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
    long lastCommit = System.currentTimeMillis();
    try {
      while (!stopping) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
        if (!records.isEmpty() && exactlyOnce && !inTransaction) {
          producer.beginTransaction();
          inTransaction = true;
        }
        for (TopicPartition tp : records.partitions()) {
          List<ConsumerRecord<String, String>> part = records.records(tp);
          for (ConsumerRecord<String, String> r : part) {
            Event e = Event.parse(r.value());
            if (e.keep()) {
              producer.send(
                  new ProducerRecord<>(output, null, r.timestamp(), e.key(), e.enrich()), onSent);
            }
          }
          offsets.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        }
        long now = System.currentTimeMillis();
        if (now - lastCommit >= COMMIT_INTERVAL_MS) {
          commit();
          lastCommit = now;
        }
      }
      commit();
    } catch (WakeupException e) {
      commit(); // close() asked us to stop
    } finally {
      producer.close(Duration.ofSeconds(10));
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
    }
  }

  private void commit() {
    if (offsets.isEmpty()) {
      return;
    }
    if (exactlyOnce) {
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
      inTransaction = false;
    } else {
      producer.flush();
      if (sendFailure.get() != null) {
        throw new IllegalStateException("A send failed", sendFailure.get());
      }
      consumer.commitSync(offsets);
    }
    offsets.clear();
  }

  @Override
  public void stop() throws InterruptedException {
    stopping = true;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (loop != null) {
      loop.join(30_000);
    }
  }
}
