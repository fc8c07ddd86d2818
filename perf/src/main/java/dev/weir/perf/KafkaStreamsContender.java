package dev.weir.perf;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The Kafka Streams side of a workload: subclasses only build the topology. Settings are Kafka
 * Streams' defaults except the ids, the guarantee ({@code exactly_once_v2} or {@code
 * at_least_once}), the thread count, and {@code commit.interval.ms=100} in both modes (the
 * exactly-once default; at-least-once would otherwise commit every 30 s), which is what Weir and
 * the raw loop do.
 */
abstract class KafkaStreamsContender implements Contender {
  KafkaStreams streams;

  /**
   * {@link System#nanoTime()} and the process's CPU time on entering {@link #start}, before the
   * topology is built and {@code new KafkaStreams} creates the clients: W4 and W5 measure from
   * here, as they do for Weir from before {@code new WeirApplication} (see {@link WeirW4}).
   */
  long enteredNanos;

  long enteredCpuNanos;

  abstract void build(StreamsBuilder builder, ContenderSpec spec);

  Properties properties(ContenderSpec spec) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, spec.appId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap());
    p.put(StreamsConfig.STATE_DIR_CONFIG, spec.stateDir().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, spec.threads());
    p.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        spec.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    return p;
  }

  @Override
  public void start(ContenderSpec spec, StatusFile status) throws Exception {
    enteredCpuNanos = ProcStats.ownCpuNanos();
    enteredNanos = System.nanoTime();
    StreamsBuilder b = new StreamsBuilder();
    build(b, spec);
    streams = new KafkaStreams(b.build(), properties(spec));
    streams.setUncaughtExceptionHandler(
        e -> {
          status.put("failed", ContenderMain.oneLine(e));
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    beforeStart(spec, status);
    streams.start();
  }

  /** A hook for contenders that watch restoration or state. */
  void beforeStart(ContenderSpec spec, StatusFile status) throws Exception {}

  @Override
  public void stop() {
    if (streams != null) {
      // Leave the group, as Weir and plain consumers do on close: W4 restarts an application id,
      // and a member that stays until its session times out would hold up the next rebalance.
      streams.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(30)));
    }
  }
}
