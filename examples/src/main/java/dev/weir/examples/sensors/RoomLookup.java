package dev.weir.examples.sensors;

import dev.weir.WeirConfig;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.AsyncRetryStrategy;
import dev.weir.functions.ResultFuture;
import dev.weir.functions.RichAsyncFunction;
import dev.weir.stream.AsyncDataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Enriches every reading with the room its sensor is in, looked up asynchronously in a room
 * service: up to 100 lookups in flight per task, results in input order, a lookup that fails with a
 * transient error retried with backoff, and one that takes longer than a second answered with
 * {@code (sensorId, "UNKNOWN ROOM")}. Reads {@code sensor-readings}; writes {@code
 * readings-with-room} as {@code sensor,room,celsius}.
 *
 * <p>Run: {@code RoomLookup [--bootstrap-servers host:port]} (the room service is simulated in the
 * JVM with a 10 ms latency).
 */
public final class RoomLookup {
  private RoomLookup() {}

  /** An asynchronous client of the room service. */
  public interface RoomService {
    /**
     * Looks the room of a sensor up.
     *
     * @param sensor the sensor's id
     * @return the room's name, completed later on the client's own thread
     */
    CompletionStage<String> roomOf(String sensor);
  }

  /** Creates the client in each task (functions are copied per task, clients are not). */
  @FunctionalInterface
  public interface RoomServiceFactory extends Serializable {
    /**
     * Creates a client.
     *
     * @return the client
     */
    RoomService create();
  }

  /** The exception a client reports for an error worth retrying. */
  public static final class TransientError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what went wrong
     */
    public TransientError(String message) {
      super(message);
    }
  }

  // [docs:room-lookup-function]
  /** One lookup per reading; the result is "sensor,room,celsius". */
  static final class LookupRoom extends RichAsyncFunction<Reading, String> {
    private static final long serialVersionUID = 1L;
    private final RoomServiceFactory factory;
    private transient RoomService rooms;

    LookupRoom(RoomServiceFactory factory) {
      this.factory = factory;
    }

    @Override
    public void open() {
      rooms = factory.create(); // once per task
    }

    @Override
    public void asyncInvoke(Reading r, ResultFuture<String> result) {
      rooms
          .roomOf(r.sensor())
          .whenComplete(
              (room, error) -> {
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(List.of(r.sensor() + "," + room + "," + r.celsius()));
                }
              });
    }

    @Override
    public void timeout(Reading r, ResultFuture<String> result) {
      // Without this override a timeout fails the task.
      result.complete(List.of(r.sensor() + ",UNKNOWN ROOM," + r.celsius()));
    }
  }

  // [/docs:room-lookup-function]

  /**
   * Builds the pipeline.
   *
   * @param readingsTopic where readings come from
   * @param outputTopic where enriched readings go
   * @param rooms creates the room service client of each task
   * @return the topology
   */
  public static Topology topology(
      String readingsTopic, String outputTopic, RoomServiceFactory rooms) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:room-lookup-wiring]
    AsyncRetryStrategy<String> retry =
        AsyncRetryStrategy.<String>exponentialBackoff(
                3, Duration.ofMillis(50), Duration.ofMillis(400), 2.0)
            .ifException(e -> e instanceof TransientError);
    AsyncDataStream.orderedWaitWithRetry(
            builder.fromSource(KafkaSource.topic(readingsTopic, Reading.SERDE), "readings"),
            new LookupRoom(rooms),
            1,
            TimeUnit.SECONDS,
            100,
            retry)
        .name("room-lookup")
        .sinkTo(KafkaSink.topic(outputTopic, Serdes.String()));
    // [/docs:room-lookup-wiring]
    return builder.build();
  }

  /** A stand-in for a real service: a fixed table answered after 10 ms. */
  static RoomService simulated() {
    Map<String, String> table = Map.of("sensor-01", "kitchen", "sensor-02", "hall");
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "room-service");
              t.setDaemon(true);
              return t;
            });
    return sensor -> {
      CompletableFuture<String> f = new CompletableFuture<>();
      timer.schedule(
          () -> f.complete(table.getOrDefault(sensor, "storage")), 10, TimeUnit.MILLISECONDS);
      return f;
    };
  }

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "room-lookup");
    ExampleRunner.run(
        args,
        config,
        topology("sensor-readings", "readings-with-room", RoomLookup::simulated),
        "sensor-readings",
        "readings-with-room");
  }
}
