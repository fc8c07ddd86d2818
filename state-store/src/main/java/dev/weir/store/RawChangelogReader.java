package dev.weir.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientResponse;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * Reads changelog partitions with raw read_committed fetch requests through the Kafka clients'
 * {@code NetworkClient}, below {@code KafkaConsumer}, for full restores (design record 030): the
 * fetched record batches go to the restore writers as they are, and the writers walk them in place
 * ({@link RecordWalk}: no object per record; compressed batches through Kafka's iterator), handing
 * each key and value on as a range of the response's array and filtering aborted transactions
 * exactly as the consumer does ({@link Fetched#forEach}).
 *
 * <p>This uses classes of the Kafka clients that are not public API ({@code NetworkClient}, the
 * fetch request and response, the record batches). Anything unexpected (an error code, a failed or
 * slow connection, a record format older than v2, a class that changed in a client upgrade) makes
 * {@link #fetch} throw {@link Unavailable}; the session then reads the partitions with its consumer
 * from where this reader stopped. Owner thread only, except {@link Fetched#forEach}, which a writer
 * runs.
 */
final class RawChangelogReader implements AutoCloseable {
  /** This reader cannot go on; the caller falls back to its consumer. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Records handed on by {@link Fetched#forEach}, by how they were read (tests and logs). */
  static final class WalkCounts {
    /** Records of uncompressed batches, walked in place ({@link RecordWalk}). */
    final LongAdder inPlace = new LongAdder();

    /** Records of compressed batches, read through Kafka's decompressing iterator. */
    final LongAdder decompressed = new LongAdder();
  }

  /** One partition's part of a fetch response, applied by a writer. */
  static final class Fetched {
    final TopicPartition partition;

    /** The offset the fetch asked for. */
    final long fetchOffset;

    private final MemoryRecords records;
    private final List<FetchResponseData.AbortedTransaction> aborted;

    /** The offset after the last complete batch of the response; where the next fetch starts. */
    final long nextOffset;

    /** An upper bound of the records in the chunk (offsets spanned), for the writers' budget. */
    final int spannedOffsets;

    Fetched(
        TopicPartition partition,
        long fetchOffset,
        MemoryRecords records,
        List<FetchResponseData.AbortedTransaction> aborted,
        long nextOffset,
        int spanned) {
      this.partition = partition;
      this.fetchOffset = fetchOffset;
      this.records = records;
      this.aborted = aborted;
      this.nextOffset = nextOffset;
      this.spannedOffsets = spanned;
    }

    /**
     * Hands every committed data record at or after the fetch offset and below {@code end} to
     * {@code sink}, in offset order, as ranges of an array: for an uncompressed batch the fetched
     * response's own array ({@link RecordWalk}, no object per record), for a compressed one the
     * records Kafka's decompressing iterator returns. Aborted transactions are skipped as {@code
     * KafkaConsumer}'s read_committed fetch does: the response lists the aborted transactions
     * (producer id and first offset) that overlap it; a transactional batch of a producer with an
     * aborted transaction begun at or before the batch's last offset is skipped, until that
     * producer's abort marker; control batches are never data. Each batch's CRC is checked.
     *
     * @param counts where to count the records handed on; may be null
     */
    void forEach(long end, RecordWalk.Sink sink, WalkCounts counts) {
      PriorityQueue<FetchResponseData.AbortedTransaction> pending =
          new PriorityQueue<>(
              Math.max(1, aborted.size()),
              (a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
      pending.addAll(aborted);
      Set<Long> abortedProducers = new HashSet<>();
      ByteBuffer all = records.buffer();
      byte[] array = all.hasArray() ? all.array() : null;
      int batchStart = array != null ? all.arrayOffset() + all.position() : 0;
      long inPlace = 0;
      long decompressed = 0;
      try (BufferSupplier buffers = BufferSupplier.create()) {
        for (MutableRecordBatch batch : records.batches()) {
          // Batches lie back to back from the buffer's position (MemoryRecords.batches()).
          int at = batchStart;
          int size = batch.sizeInBytes();
          batchStart += size;
          if (batch.nextOffset() > nextOffset) {
            break; // not counted in nextOffset: read again by the next fetch
          }
          batch.ensureValid();
          if (batch.hasProducerId()) {
            while (!pending.isEmpty() && pending.peek().firstOffset() <= batch.lastOffset()) {
              abortedProducers.add(pending.poll().producerId());
            }
            if (isAbortMarker(batch)) {
              abortedProducers.remove(batch.producerId());
              continue;
            }
            if (batch.isTransactional() && abortedProducers.contains(batch.producerId())) {
              continue;
            }
          }
          if (batch.isControlBatch()) {
            continue;
          }
          if (array != null
              && batch.compressionType() == CompressionType.NONE
              && batch.magic() == RecordBatch.MAGIC_VALUE_V2) {
            inPlace += RecordWalk.walk(array, at, size, fetchOffset, end, sink);
          } else {
            decompressed += iterate(batch, buffers, end, sink);
          }
        }
      }
      if (counts != null) {
        counts.inPlace.add(inPlace);
        counts.decompressed.add(decompressed);
      }
    }

    /** A compressed batch, through Kafka's iterator, which decompresses into fresh buffers. */
    private int iterate(
        MutableRecordBatch batch, BufferSupplier buffers, long end, RecordWalk.Sink sink) {
      int handed = 0;
      try (CloseableIterator<Record> it = batch.streamingIterator(buffers)) {
        while (it.hasNext()) {
          Record r = it.next();
          long offset = r.offset();
          if (offset < fetchOffset || offset >= end) {
            continue;
          }
          ByteBuffer key = r.hasKey() ? r.key() : null;
          ByteBuffer value = r.hasValue() ? r.value() : null;
          if (key != null
              && value != null
              && key.hasArray()
              && value.hasArray()
              && key.array() == value.array()) {
            // Kafka reads a decompressed record into one array: key and value are ranges of it.
            sink.accept(
                offset,
                key.array(),
                key.arrayOffset() + key.position(),
                key.remaining(),
                value.arrayOffset() + value.position(),
                value.remaining());
          } else {
            int kl = key != null ? key.remaining() : -1;
            int vl = value != null ? value.remaining() : -1;
            byte[] both = new byte[Math.max(0, kl) + Math.max(0, vl)];
            if (key != null) {
              key.get(key.position(), both, 0, kl);
            }
            if (value != null) {
              value.get(value.position(), both, Math.max(0, kl), vl);
            }
            sink.accept(offset, both, 0, kl, Math.max(0, kl), vl);
          }
          handed++;
        }
      }
      return handed;
    }

    private static boolean isAbortMarker(RecordBatch batch) {
      if (!batch.isControlBatch()) {
        return false;
      }
      var it = batch.iterator();
      if (!it.hasNext()) {
        return false;
      }
      return ControlRecordType.parse(it.next().key()) == ControlRecordType.ABORT;
    }
  }

  /** Fetch requests carry topic names, which fetch versions up to 12 do (13 uses topic ids). */
  private static final short MAX_FETCH_VERSION = 12;

  private final Time time = Time.SYSTEM;
  private final Metrics metrics = new Metrics();
  private final NetworkClient client;
  private final ManualMetadataUpdater nodes = new ManualMetadataUpdater();
  private final int maxWaitMs;
  private final int partitionMaxBytes;
  private final int maxBytes;
  private final long requestTimeoutMs;
  private final Map<TopicPartition, Node> leaders = new HashMap<>();

  /** Requests sent and not answered, by node id, with the partitions and offsets they ask for. */
  private final Map<String, Map<TopicPartition, Long>> inFlight = new HashMap<>();

  private long lastProgressMs;

  /** Consecutive responses without a complete batch, per partition. */
  private final Map<TopicPartition, Integer> empty = new HashMap<>();

  /**
   * @param consumerConfig the restore consumer's configuration (bootstrap servers, security, client
   *     id, fetch sizes); deserializers are not needed
   */
  RawChangelogReader(Map<String, Object> consumerConfig) {
    Map<String, Object> c = new HashMap<>(consumerConfig);
    ConsumerConfig config =
        new ConsumerConfig(
            ConsumerConfig.appendDeserializerToConfig(
                c, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    String clientId = config.getString(ConsumerConfig.CLIENT_ID_CONFIG) + "-raw-restore";
    LogContext log = new LogContext("[Raw changelog reader clientId=" + clientId + "] ");
    Selector selector =
        new Selector(
            config.getLong(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG),
            metrics,
            time,
            "weir-raw-restore",
            ClientUtils.createChannelBuilder(config, time, log),
            log);
    this.requestTimeoutMs = config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG);
    this.client =
        new NetworkClient(
            selector,
            nodes,
            clientId,
            1,
            config.getLong(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG),
            config.getLong(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG),
            config.getInt(ConsumerConfig.SEND_BUFFER_CONFIG),
            config.getInt(ConsumerConfig.RECEIVE_BUFFER_CONFIG),
            (int) requestTimeoutMs,
            config.getLong(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG),
            config.getLong(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG),
            time,
            true,
            new ApiVersions(),
            log,
            MetadataRecoveryStrategy.NONE);
    this.maxWaitMs = config.getInt(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    this.partitionMaxBytes = config.getInt(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG);
    this.maxBytes = config.getInt(ConsumerConfig.FETCH_MAX_BYTES_CONFIG);
    this.lastProgressMs = time.milliseconds();
  }

  /** Sets the leader of each partition to fetch from (the caller looks them up). */
  void leaders(Map<TopicPartition, Node> leaders) {
    this.leaders.putAll(leaders);
    List<Node> all = new ArrayList<>(new HashSet<>(this.leaders.values()));
    nodes.setNodes(all);
  }

  boolean knows(TopicPartition partition) {
    return leaders.containsKey(partition);
  }

  /**
   * Sends a fetch for the given partitions to each leader without a request in flight, waits up to
   * {@code timeoutMs} for responses, and returns the partitions' fetched chunks.
   *
   * @param positions partition to the offset to fetch from; only partitions with a known leader
   * @throws Unavailable on any error; the reader must then be closed
   */
  List<Fetched> fetch(Map<TopicPartition, Long> positions, long timeoutMs) {
    try {
      long now = time.milliseconds();
      Map<Node, LinkedHashMap<TopicPartition, FetchRequest.PartitionData>> byNode = new HashMap<>();
      Set<TopicPartition> asked = new HashSet<>();
      inFlight.values().forEach(m -> asked.addAll(m.keySet()));
      positions.forEach(
          (tp, offset) -> {
            if (asked.contains(tp)) {
              return;
            }
            Node leader = leaders.get(tp);
            if (leader == null) {
              throw new IllegalStateException("no leader known for " + tp);
            }
            byNode
                .computeIfAbsent(leader, n -> new LinkedHashMap<>())
                .put(
                    tp,
                    new FetchRequest.PartitionData(
                        Uuid.ZERO_UUID, offset, -1L, partitionMaxBytes, Optional.empty()));
          });
      for (Map.Entry<Node, LinkedHashMap<TopicPartition, FetchRequest.PartitionData>> e :
          byNode.entrySet()) {
        Node node = e.getKey();
        if (inFlight.containsKey(node.idString()) || !client.ready(node, now)) {
          continue;
        }
        FetchRequest.Builder request =
            FetchRequest.Builder.forConsumer(MAX_FETCH_VERSION, maxWaitMs, 1, e.getValue())
                .isolationLevel(IsolationLevel.READ_COMMITTED)
                .setMaxBytes(maxBytes);
        ClientRequest r = client.newClientRequest(node.idString(), request, now, true);
        client.send(r, now);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        e.getValue().forEach((tp, d) -> offsets.put(tp, d.fetchOffset));
        inFlight.put(node.idString(), offsets);
      }
      List<Fetched> out = new ArrayList<>();
      long deadline = now + timeoutMs;
      do {
        for (ClientResponse response :
            client.poll(Math.max(0, deadline - time.milliseconds()), time.milliseconds())) {
          Map<TopicPartition, Long> offsets = inFlight.remove(response.destination());
          if (offsets == null) {
            continue;
          }
          out.addAll(handle(response, offsets));
        }
      } while (out.isEmpty() && !inFlight.isEmpty() && time.milliseconds() < deadline);
      long t = time.milliseconds();
      if (!out.isEmpty()) {
        lastProgressMs = t;
      } else if (t - lastProgressMs > requestTimeoutMs) {
        throw new Unavailable("no fetch response for " + (t - lastProgressMs) + " ms", null);
      }
      for (Node node : byNode.keySet()) {
        if (client.connectionFailed(node)) {
          throw new Unavailable("connection to " + node + " failed", null);
        }
      }
      return out;
    } catch (Unavailable e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new Unavailable("raw changelog fetch failed: " + e, e);
    }
  }

  private List<Fetched> handle(ClientResponse response, Map<TopicPartition, Long> offsets) {
    if (response.wasDisconnected() || response.wasTimedOut()) {
      throw new Unavailable("fetch from node " + response.destination() + " disconnected", null);
    }
    if (response.versionMismatch() != null) {
      throw new Unavailable("fetch version not supported", response.versionMismatch());
    }
    if (response.authenticationException() != null) {
      throw new Unavailable("authentication failed", response.authenticationException());
    }
    FetchResponse body = (FetchResponse) response.responseBody();
    if (body.error().code() != 0) {
      throw new Unavailable("fetch failed: " + body.error(), null);
    }
    Map<TopicPartition, FetchResponseData.PartitionData> data =
        body.responseData(Map.of(), response.requestHeader().apiVersion());
    List<Fetched> out = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
      TopicPartition tp = e.getKey();
      FetchResponseData.PartitionData pd = data.get(tp);
      if (pd == null) {
        continue; // fetch.max.bytes reached before this partition: asked again next time
      }
      if (pd.errorCode() != 0) {
        throw new Unavailable(
            tp + ": fetch error " + org.apache.kafka.common.protocol.Errors.forCode(pd.errorCode()),
            null);
      }
      if (pd.preferredReadReplica() >= 0) {
        throw new Unavailable(tp + ": the broker asks to fetch from a follower", null);
      }
      MemoryRecords records = (MemoryRecords) FetchResponse.recordsOrFail(pd);
      long fetchOffset = e.getValue();
      long next = fetchOffset;
      long spanned = 0;
      for (MutableRecordBatch batch : records.batches()) {
        if (batch.magic() < RecordBatch.MAGIC_VALUE_V2) {
          throw new Unavailable(tp + ": record format older than v2", null);
        }
        spanned += batch.lastOffset() - Math.max(batch.baseOffset(), next) + 1;
        next = Math.max(next, batch.nextOffset());
      }
      if (next == fetchOffset) {
        // Below the end offset there is always a batch to return (the broker returns at least
        // one whole batch however large); an empty answer again and again is unexpected.
        if (empty.merge(tp, 1, Integer::sum) > 3) {
          throw new Unavailable(tp + ": no records at offset " + fetchOffset, null);
        }
        continue;
      }
      empty.remove(tp);
      List<FetchResponseData.AbortedTransaction> aborted =
          pd.abortedTransactions() == null ? List.of() : pd.abortedTransactions();
      out.add(
          new Fetched(
              tp, fetchOffset, records, aborted, next, (int) Math.min(Integer.MAX_VALUE, spanned)));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      metrics.close();
    }
  }
}
