package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirConfig;
import dev.weir.errors.RecordProcessingException;
import dev.weir.errors.WeirException;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AsyncFunction;
import dev.weir.functions.AsyncRetryStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.ProcessFunction;
import dev.weir.functions.ResultFuture;
import dev.weir.internal.driver.DriverCore;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Async I/O through the deterministic driver (design record 010), against a fake service the test
 * completes by hand: results are handed to the task on the driver's next call.
 */
class AsyncIoTest {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** A service whose requests wait until the test completes them. */
  static final class FakeService {
    static final Map<Integer, FakeService> ALL = new ConcurrentHashMap<>();
    final List<String> requests = new ArrayList<>();
    final List<ResultFuture<String>> futures = new ArrayList<>();
    RuntimeException throwOnInvoke;

    /** Completes the latest request of {@code input} with {@code results}. */
    void complete(String input, String... results) {
      future(input).complete(List.of(results));
    }

    void fail(String input, Throwable error) {
      future(input).completeExceptionally(error);
    }

    ResultFuture<String> future(String input) {
      int i = requests.lastIndexOf(input);
      if (i < 0) {
        throw new IllegalArgumentException("no request for " + input + "; requests " + requests);
      }
      return futures.get(i);
    }
  }

  /** Sends each record to the fake service; timeouts keep the default unless told. */
  static class Lookup implements AsyncFunction<String, String> {
    private static final long serialVersionUID = 1L;
    final int service;

    Lookup(int service) {
      this.service = service;
    }

    @Override
    public void asyncInvoke(String input, ResultFuture<String> resultFuture) {
      FakeService s = FakeService.ALL.get(service);
      if (s.throwOnInvoke != null) {
        throw s.throwOnInvoke;
      }
      s.requests.add(input);
      s.futures.add(resultFuture);
    }
  }

  /** The lookup example's fallback: {@code (sensorId, "UNKNOWN ROOM")}. */
  static final class LookupWithFallback extends Lookup {
    private static final long serialVersionUID = 1L;

    LookupWithFallback(int service) {
      super(service);
    }

    @Override
    public void timeout(String input, ResultFuture<String> resultFuture) {
      resultFuture.complete(List.of("(" + input + ", UNKNOWN ROOM)"));
    }
  }

  /** Appends the event time the operator after the async one sees. */
  static final class WithWatermark extends ProcessFunction<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      out.collect(v + "@" + ctx.timestamp() + "/wm" + ctx.currentWatermark());
    }
  }

  private FakeService service;
  private int serviceId;

  private FakeService newService() {
    serviceId = IDS.incrementAndGet();
    service = new FakeService();
    FakeService.ALL.put(serviceId, service);
    return service;
  }

  @AfterEach
  void forget() {
    FakeService.ALL.remove(serviceId);
  }

  private interface Wiring {
    DataStream<String> apply(DataStream<String> in);
  }

  private Driver driver(boolean eventTime, Map<?, ?> props, Wiring wiring) {
    newService();
    StreamBuilder b = new StreamBuilder();
    DataStream<String> in =
        eventTime
            ? b.fromSource(
                KafkaSource.topic("in", Serdes.String()),
                WatermarkStrategy.forMonotonousTimestamps(),
                "in")
            : b.fromSource(KafkaSource.topic("in", Serdes.String()), "in");
    wiring.apply(in).sinkTo(KafkaSink.topic("out", Serdes.String()));
    return new Driver(b, props);
  }

  private Driver ordered(int capacity) {
    return driver(
        false,
        Map.of(),
        in ->
            AsyncDataStream.orderedWait(in, new Lookup(serviceId), 1, TimeUnit.SECONDS, capacity)
                .name("enrich"));
  }

  @Test
  void orderedWaitEmitsInInputOrderWithTheInputsTimestamps() {
    try (Driver d = ordered(10)) {
      d.pipe("in", "a", 1);
      d.pipe("in", "b", 2);
      d.pipe("in", "c", 3);
      assertThat(service.requests).containsExactly("a", "b", "c");
      service.complete("c", "C");
      service.complete("b", "B1", "B2");
      assertThat(d.values("out")).isEmpty();
      service.complete("a"); // an empty result emits nothing but frees the head
      List<DriverCore.Output> out = d.records("out");
      assertThat(out).extracting(o -> Driver.string(o.value())).containsExactly("B1", "B2", "C");
      assertThat(out).extracting(DriverCore.Output::timestamp).containsExactly(2L, 2L, 3L);
      assertThat(d.core.counters())
          .containsEntry("async-requests", 3L)
          .containsEntry("async-in-flight", 0L);
    }
  }

  @Test
  void unorderedWaitEmitsResultsAsTheyArriveWhenNoWatermarkSeparatesThem() {
    try (Driver d =
        driver(
            false,
            Map.of(),
            in -> AsyncDataStream.unorderedWait(in, new Lookup(serviceId), 1, TimeUnit.SECONDS))) {
      d.pipe("in", "a", 1);
      d.pipe("in", "b", 2);
      d.pipe("in", "c", 3);
      service.complete("c", "C");
      assertThat(d.values("out")).containsExactly("C");
      service.complete("a", "A");
      service.complete("b", "B");
      assertThat(d.values("out")).containsExactly("A", "B");
    }
  }

  /**
   * Records entering under watermarks MIN, 999, 999, 999 and 4999: a and e are alone in their
   * segments. d overtakes b and c (same segment), but e waits for b and c, and the operator after
   * the async one never sees event time pass a record still in flight.
   */
  @Test
  void unorderedWaitReordersOnlyBetweenWatermarksAndHoldsEventTime() {
    try (Driver d =
        driver(
            true,
            Map.of(),
            in ->
                AsyncDataStream.unorderedWait(in, new Lookup(serviceId), 1, TimeUnit.HOURS)
                    .process(new WithWatermark()))) {
      d.pipe("in", "a", 1000);
      d.pipe("in", "b", 1000);
      d.pipe("in", "c", 1000);
      d.pipe("in", "d", 5000);
      d.pipe("in", "e", 6000);
      service.complete("e", "e");
      service.complete("c", "c");
      assertThat(d.values("out")).isEmpty(); // a's segment is first
      service.complete("a", "a");
      assertThat(d.values("out")).containsExactly("a@1000/wm-9223372036854775808", "c@1000/wm999");
      service.complete("d", "d");
      assertThat(d.values("out")).containsExactly("d@5000/wm999");
      service.complete("b", "b");
      // b ends its segment: event time moves to e's (4999), then e goes.
      assertThat(d.values("out")).containsExactly("b@1000/wm999", "e@6000/wm4999");
    }
  }

  @Test
  void aWindowDownstreamCountsARecordThatWasInFlightWhenTheSourceWatermarkPassedIt() {
    try (Driver d =
        driver(
            true,
            Map.of(),
            in ->
                AsyncDataStream.unorderedWait(in, new Lookup(serviceId), 1, TimeUnit.HOURS)
                    .returns(Serdes.String())
                    .keyBy(v -> v.substring(0, 1), Serdes.String())
                    .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                    .aggregate(new WindowsTest.Count(), Serdes.Long(), new WindowsTest.Describe<>())
                    .uid("counts"))) {
      d.pipe("in", "k1", 100);
      d.pipe("in", "k2", 5000); // the source's watermark is now 4999
      service.complete("k2", "k2");
      assertThat(d.values("out")).isEmpty(); // k2 waits behind k1's watermark segment
      service.complete("k1", "k1");
      // Without the hold, [0,1000) would have fired empty-handed before k1 arrived, late.
      assertThat(d.values("out")).containsExactly("k[0,1000)=1");
    }
  }

  @Test
  void aFullOperatorBuffersInputUntilAResultFreesASlot() {
    try (Driver d = ordered(2)) {
      d.pipe("in", "a", 1);
      d.pipe("in", "b", 2);
      d.pipe("in", "c", 3);
      d.pipe("in", "d", 4);
      assertThat(service.requests).containsExactly("a", "b");
      assertThat(d.core.counters()).containsEntry("async-in-flight", 2L);
      service.complete("b", "B");
      assertThat(d.values("out")).isEmpty();
      assertThat(service.requests).containsExactly("a", "b");
      service.complete("a", "A");
      assertThat(d.values("out")).containsExactly("A", "B");
      assertThat(service.requests).containsExactly("a", "b", "c", "d");
      service.complete("c", "C");
      service.complete("d", "D");
      assertThat(d.values("out")).containsExactly("C", "D");
    }
  }

  @Test
  void aTimeoutFailsTheTaskByDefaultNamingOperatorAndRecord() {
    try (Driver d = ordered(10)) {
      d.pipe("in", "a", 1);
      d.pipe("in", "b", 2);
      d.core.advanceProcessingTime(999);
      service.complete("b", "B");
      assertThat(d.values("out")).isEmpty();
      assertThatThrownBy(() -> d.core.advanceProcessingTime(1))
          .isInstanceOf(WeirException.class)
          .hasMessageContaining("async operator 'enrich' timed out after 1000 ms")
          .hasMessageContaining("record in-0@0")
          .hasMessageContaining("override timeout(input, resultFuture)");
      assertThat(d.core.counters()).containsEntry("async-timeouts", 1L);
    }
  }

  @Test
  void anOverriddenTimeoutEmitsTheFallbackAndIgnoresTheLateResult() {
    try (Driver d =
        driver(
            false,
            Map.of(),
            in ->
                AsyncDataStream.orderedWait(
                    in, new LookupWithFallback(serviceId), 100, TimeUnit.MILLISECONDS, 10))) {
      d.pipe("in", "sensor-1", 1);
      d.pipe("in", "sensor-2", 2);
      service.complete("sensor-2", "(sensor-2, kitchen)");
      d.core.advanceProcessingTime(100);
      assertThat(d.values("out"))
          .containsExactly("(sensor-1, UNKNOWN ROOM)", "(sensor-2, kitchen)");
      service.complete("sensor-1", "(sensor-1, hall)"); // too late: ignored
      assertThat(d.values("out")).isEmpty();
      assertThat(d.core.counters()).containsEntry("async-timeouts", 1L);
    }
  }

  @Test
  void retriesWaitTheBackoffOnTheProcessingClock() {
    AsyncRetryStrategy<String> retry =
        AsyncRetryStrategy.<String>exponentialBackoff(
                3, Duration.ofMillis(10), Duration.ofMillis(15), 2.0)
            .ifResult(AsyncRetryStrategy.emptyResult());
    try (Driver d =
        driver(
            false,
            Map.of(),
            in ->
                AsyncDataStream.orderedWaitWithRetry(
                    in, new Lookup(serviceId), 1, TimeUnit.SECONDS, 10, retry))) {
      d.pipe("in", "a", 1);
      service.complete("a"); // empty: retry in 10 ms
      d.core.advanceProcessingTime(9);
      assertThat(service.requests).containsExactly("a");
      d.core.advanceProcessingTime(1);
      assertThat(service.requests).containsExactly("a", "a");
      service.complete("a"); // empty again: retry in 15 ms (20 capped at 15)
      d.core.advanceProcessingTime(14);
      assertThat(service.requests).hasSize(2);
      d.core.advanceProcessingTime(1);
      assertThat(service.requests).hasSize(3);
      service.complete("a", "A");
      assertThat(d.values("out")).containsExactly("A");
      assertThat(d.core.counters()).containsEntry("async-retries", 2L);
    }
  }

  @Test
  void failuresTheStrategyAcceptsAreRetriedOthersFailTheRecord() {
    AsyncRetryStrategy<String> retry =
        AsyncRetryStrategy.<String>fixedDelay(2, Duration.ofMillis(5))
            .ifException(e -> e instanceof IOException);
    try (Driver d =
        driver(
            false,
            Map.of(),
            in ->
                AsyncDataStream.unorderedWaitWithRetry(
                        in, new Lookup(serviceId), 1, TimeUnit.SECONDS, 10, retry)
                    .name("enrich"))) {
      d.pipe("in", "a", 1);
      service.fail("a", new IOException("connection reset"));
      d.core.advanceProcessingTime(5);
      service.complete("a", "A");
      assertThat(d.values("out")).containsExactly("A");
      d.pipe("in", "b", 2);
      service.fail("b", new IllegalArgumentException("no such sensor"));
      assertThatThrownBy(() -> d.values("out"))
          .isInstanceOf(RecordProcessingException.class)
          .hasMessageContaining("record in-0@1 failed in 'enrich'")
          .hasMessageContaining("no such sensor");
    }
  }

  @Test
  void anAsyncInvokeThatThrowsFailsItsRecord() {
    try (Driver d = ordered(10)) {
      service.throwOnInvoke = new IllegalStateException("client closed");
      assertThatThrownBy(() -> d.pipe("in", "a", 1))
          .isInstanceOf(RecordProcessingException.class)
          .hasMessageContaining("record in-0@0 failed in 'enrich'")
          .hasMessageContaining("client closed");
      assertThat(d.core.counters()).containsEntry("async-in-flight", 0L);
    }
  }

  @Test
  void aFutureCompletedTwiceIsReported() {
    try (Driver d = ordered(10)) {
      d.pipe("in", "a", 1);
      d.pipe("in", "b", 2);
      service.complete("b", "B");
      service.complete("b", "B again");
      assertThatThrownBy(() -> d.values("out"))
          .isInstanceOf(RecordProcessingException.class)
          .hasMessageContaining("record in-0@1 failed in 'enrich'")
          .hasMessageContaining("completed twice");
    }
  }

  @Test
  void underLogAndSkipAFailedRequestIsSkippedAndTheOthersGoOn() {
    try (Driver d =
        driver(
            false,
            Map.of(WeirConfig.PROCESSING_HANDLER_CONFIG, "log_and_skip"),
            in -> AsyncDataStream.orderedWait(in, new Lookup(serviceId), 1, TimeUnit.SECONDS))) {
      d.pipe("in", "a", 1);
      d.pipe("in", "b", 2);
      d.pipe("in", "c", 3);
      service.complete("c", "C");
      service.fail("b", new IOException("boom"));
      service.complete("a", "A");
      assertThat(d.values("out")).containsExactly("A", "C");
      assertThat(d.core.counters()).containsEntry("records-skipped", 1L);
    }
  }

  @Test
  void worksOnAKeyedStreamKeepingEachRecordsTimestamp() {
    try (Driver d =
        driver(
            false,
            Map.of(),
            in ->
                AsyncDataStream.orderedWait(
                        in.keyBy(v -> v.substring(0, 1), Serdes.String()),
                        new Lookup(serviceId),
                        1,
                        TimeUnit.SECONDS,
                        10)
                    .process(new WithWatermark()))) {
      d.pipe("in", "x1", 10);
      d.pipe("in", "y1", 20);
      d.pipe("in", "x2", 30);
      service.complete("x2", "x2!");
      service.complete("y1", "y1!");
      service.complete("x1", "x1!");
      assertThat(d.values("out"))
          .containsExactly(
              "x1!@10/wm-9223372036854775808",
              "y1!@20/wm-9223372036854775808",
              "x2!@30/wm-9223372036854775808");
    }
  }

  @Test
  void badArgumentsAreRejectedWhenTheTopologyIsBuilt() {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> in = b.fromSource(KafkaSource.topic("in", Serdes.String()), "in");
    assertThatThrownBy(() -> AsyncDataStream.orderedWait(in, new Lookup(0), 0, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be at least 1 ms");
    assertThatThrownBy(
            () -> AsyncDataStream.unorderedWait(in, new Lookup(0), 1, TimeUnit.SECONDS, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}
