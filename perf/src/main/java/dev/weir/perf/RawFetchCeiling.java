package dev.weir.perf;

import dev.weir.testkit.EmbeddedKafkaCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * Scratch measurement for issue #21 item 4 (not a workload): the CPU of reading a W4-like changelog
 * (compacted, transactional, 8 partitions, about 100-byte records) with {@code KafkaConsumer}
 * against raw fetch requests through {@code NetworkClient}, parsing the record batches with Kafka's
 * own record iterator or by hand. Usage: {@code RawFetchCeiling RECORDS ROUNDS} starts a broker,
 * loads the topic and runs each reader in its own JVM (round 1 cold).
 */
final class RawFetchCeiling {
  private static final String TOPIC = "ceiling";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private RawFetchCeiling() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("child")) {
      child(args[1], args[2], Integer.parseInt(args[3]));
      return;
    }
    int records = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(1)) {
      cluster.createTopic(TOPIC, 8, Map.of("cleanup.policy", "compact"));
      load(cluster.bootstrapServers(), records);
      String cp = System.getProperty("java.class.path");
      for (int rep = 0; rep < 2; rep++) {
        for (String mode : List.of("consumer", "raw-iter", "raw-parse")) {
          Process p =
              new ProcessBuilder(
                      "java",
                      "-Xmx2g",
                      "-cp",
                      cp,
                      RawFetchCeiling.class.getName(),
                      "child",
                      mode,
                      cluster.bootstrapServers(),
                      String.valueOf(rounds))
                  .inheritIO()
                  .start();
          p.waitFor();
        }
      }
    }
  }

  private static void load(String bootstrap, int records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ceiling-loader");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
    String value = "v".repeat(90);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < records; i++) {
        String key = String.format("key-%08d", i);
        producer.send(new ProducerRecord<>(TOPIC, i % 8, key, value + i));
        if (i % 20_000 == 19_999) {
          producer.commitTransaction();
          producer.beginTransaction();
        }
      }
      producer.commitTransaction();
    }
  }

  private static void child(String mode, String bootstrap, int rounds) throws Exception {
    Map<TopicPartition, Long> ends = new HashMap<>();
    Map<TopicPartition, Uuid> ids = new HashMap<>();
    Node leader;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
      leader = d.partitions().get(0).leader();
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      d.partitions()
          .forEach(i -> specs.put(new TopicPartition(TOPIC, i.partition()), OffsetSpec.latest()));
      admin.listOffsets(specs).all().get().forEach((tp, r) -> ends.put(tp, r.offset()));
      ends.keySet().forEach(tp -> ids.put(tp, d.topicId()));
    }
    for (int r = 1; r <= rounds; r++) {
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long proc0 = processCpu();
      long t0 = System.nanoTime();
      long[] counted =
          mode.equals("consumer")
              ? consumer(bootstrap, ends)
              : raw(bootstrap, leader, ends, ids, mode.equals("raw-parse"));
      long thread = THREADS.getCurrentThreadCpuTime() - cpu0;
      long proc = processCpu() - proc0;
      long wall = System.nanoTime() - t0;
      double m = counted[0] / 1e6;
      System.out.printf(
          "%-9s round %d: %,d records, %,d bytes, wall %.2f s, thread cpu %.2f s (%.3f s/M), process cpu %.2f s (%.3f s/M)%n",
          mode,
          r,
          counted[0],
          counted[1],
          wall / 1e9,
          thread / 1e9,
          thread / 1e9 / m,
          proc / 1e9,
          proc / 1e9 / m);
    }
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long[] consumer(String bootstrap, Map<TopicPartition, Long> ends) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 << 20);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long n = 0;
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      Map<TopicPartition, Long> left = new HashMap<>(ends);
      while (!left.isEmpty()) {
        ConsumerRecords<byte[], byte[]> rs = consumer.poll(java.time.Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> rec : rs) {
          n++;
          bytes += rec.key().length + rec.value().length;
        }
        left.keySet().removeIf(tp -> consumer.position(tp) >= left.get(tp));
      }
    }
    return new long[] {n, bytes};
  }

  private static long[] raw(
      String bootstrap,
      Node leader,
      Map<TopicPartition, Long> ends,
      Map<TopicPartition, Uuid> ids,
      boolean byHand)
      throws Exception {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    ConsumerConfig config =
        new ConsumerConfig(
            ConsumerConfig.appendDeserializerToConfig(
                c, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    LogContext log = new LogContext("[raw] ");
    Time time = Time.SYSTEM;
    Metrics metrics = new Metrics();
    Selector selector =
        new Selector(
            540_000,
            metrics,
            time,
            "raw",
            ClientUtils.createChannelBuilder(config, time, log),
            log);
    NetworkClient client =
        new NetworkClient(
            selector,
            new ManualMetadataUpdater(List.of(leader)),
            "raw-restore",
            1,
            50,
            1000,
            128 * 1024,
            64 * 1024 * 1024,
            30_000,
            10_000,
            30_000,
            time,
            true,
            new ApiVersions(),
            log,
            MetadataRecoveryStrategy.NONE);
    Map<TopicPartition, Long> next = new HashMap<>();
    ends.keySet().forEach(tp -> next.put(tp, 0L));
    Map<Uuid, String> names = Map.of(ids.values().iterator().next(), TOPIC);
    long n = 0;
    long bytes = 0;
    try {
      long deadline = System.currentTimeMillis() + 30_000;
      while (!client.ready(leader, time.milliseconds())) {
        client.poll(100, time.milliseconds());
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("not ready");
      }
      while (true) {
        LinkedHashMap<TopicPartition, FetchRequest.PartitionData> data = new LinkedHashMap<>();
        next.forEach(
            (tp, off) -> {
              if (off < ends.get(tp)) {
                data.put(
                    tp,
                    new FetchRequest.PartitionData(
                        ids.get(tp), off, -1, 2 << 20, Optional.empty()));
              }
            });
        if (data.isEmpty()) break;
        FetchRequest.Builder b =
            FetchRequest.Builder.forConsumer(ApiKeys.FETCH.latestVersion(), 500, 1, data)
                .isolationLevel(IsolationLevel.READ_COMMITTED)
                .setMaxBytes(50 << 20);
        ClientRequest req =
            client.newClientRequest(leader.idString(), b, time.milliseconds(), true);
        client.send(req, time.milliseconds());
        ClientResponse resp = null;
        while (resp == null) {
          for (ClientResponse cr : client.poll(500, time.milliseconds())) {
            resp = cr;
          }
        }
        FetchResponse fr = (FetchResponse) resp.responseBody();
        short version = resp.requestHeader().apiVersion();
        for (Map.Entry<TopicPartition, FetchResponseData.PartitionData> e :
            fr.responseData(names, version).entrySet()) {
          FetchResponseData.PartitionData pd = e.getValue();
          if (pd.errorCode() != 0) throw new IllegalStateException("error " + pd.errorCode());
          MemoryRecords records = (MemoryRecords) FetchResponse.recordsOrFail(pd);
          long off = next.get(e.getKey());
          int at = records.buffer().position();
          for (MutableRecordBatch batch : records.batches()) {
            int batchAt = at;
            at += batch.sizeInBytes();
            if (batch.lastOffset() < off) continue;
            batch.ensureValid();
            if (!batch.isControlBatch()) {
              if (byHand && !batch.isCompressed()) {
                long[] nb = parse(batch, records.buffer(), batchAt, off);
                n += nb[0];
                bytes += nb[1];
              } else {
                for (Record rec : batch) {
                  if (rec.offset() < off) continue;
                  ByteBuffer k = rec.key();
                  ByteBuffer v = rec.value();
                  n++;
                  bytes += k.remaining() + v.remaining();
                }
              }
            }
            off = batch.nextOffset();
          }
          next.put(e.getKey(), off);
        }
      }
    } finally {
      client.close();
      metrics.close();
    }
    return new long[] {n, bytes};
  }

  private static int cursor;

  /**
   * Walks an uncompressed v2 batch at {@code at} without objects; returns {records, key+value
   * bytes}.
   */
  private static long[] parse(MutableRecordBatch batch, ByteBuffer buf, int at, long from) {
    int count = buf.getInt(at + 57);
    int pos = at + 61;
    long base = batch.baseOffset();
    long n = 0;
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      int len = (int) varint(buf, pos);
      int p = cursor;
      int end = p + len;
      p++; // attributes
      varint(buf, p); // timestamp delta
      long od = varint(buf, cursor);
      int keyLen = (int) varint(buf, cursor);
      int keyAt = cursor;
      p = cursor + Math.max(keyLen, 0);
      int valueLen = (int) varint(buf, p);
      if (base + od >= from) {
        n++;
        bytes += Math.max(keyLen, 0) + Math.max(valueLen, 0) + (buf.get(keyAt) & 0);
      }
      pos = end;
    }
    return new long[] {n, bytes};
  }

  private static long varint(ByteBuffer b, int p) {
    long raw = 0;
    int shift = 0;
    while (true) {
      byte x = b.get(p++);
      raw |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) break;
      shift += 7;
    }
    cursor = p;
    return (raw >>> 1) ^ -(raw & 1);
  }
}
