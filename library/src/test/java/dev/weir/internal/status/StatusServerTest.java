package dev.weir.internal.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.errors.WeirException;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.runtime.RuntimeState;
import dev.weir.internal.runtime.RuntimeStatus;
import dev.weir.internal.runtime.RuntimeStatus.InputStatus;
import dev.weir.internal.runtime.RuntimeStatus.TaskStatus;
import dev.weir.internal.runtime.RuntimeStatus.ThreadStatus;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The endpoints over real HTTP, on a fixed status instead of a running application. */
class StatusServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<RuntimeStatus> status = new AtomicReference<>();

  static Plan plan() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("words", Serdes.String()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(1)),
            "words")
        .map(String::toUpperCase)
        .name("upper")
        .returns(Serdes.String())
        .keyBy(v -> v, Serdes.String(), Repartition.<String>named("by-word"))
        .reduce((a, c) -> a + c)
        .uid("concat")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return TopologyAccess.plan(b.build(), "app");
  }

  private HttpResponse<String> get(StatusServer s, String path) throws Exception {
    return send(s, path, "GET");
  }

  private HttpResponse<String> send(StatusServer s, String path, String method)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + s.address() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private StatusServer start() {
    return StatusServer.start(plan(), "127.0.0.1", 0, StatusServer.of(status::get, Map::of));
  }

  private static ThreadStatus thread(boolean alive, TaskStatus... tasks) {
    return new ThreadStatus("app-StreamThread-0", "RUNNING", alive, 4, 10_000_000, List.of(tasks));
  }

  private static final TaskStatus RUNNING =
      new TaskStatus(
          "1_0",
          false,
          0,
          0,
          5_000L,
          false,
          20L,
          List.of(new InputStatus("app-by-word-repartition-0/upstream-0", 5_000L, false, 3L)));
  private static final TaskStatus RESTORING =
      new TaskStatus("1_1", true, 30, 100, null, false, null, List.of());

  @Test
  void topologyIsTheGraphOfThePlan() throws Exception {
    try (StatusServer s = start()) {
      HttpResponse<String> r = get(s, "/topology");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      assertThat(r.body())
          .isEqualTo(
              "{\"applicationId\":\"app\",\"subTopologies\":["
                  + "{\"id\":0,\"inputTopics\":[\"words\"],\"stores\":[]},"
                  + "{\"id\":1,\"inputTopics\":[\"app-by-word-repartition\"],"
                  + "\"stores\":[\"concat\"]}],"
                  + "\"operators\":["
                  + "{\"id\":0,\"name\":\"words\",\"kind\":\"source\",\"subTopology\":0,"
                  + "\"store\":null,\"topics\":[\"words\"]},"
                  + "{\"id\":1,\"name\":\"upper\",\"kind\":\"map\",\"subTopology\":0,"
                  + "\"store\":null},"
                  + "{\"id\":2,\"name\":\"by-word\",\"kind\":\"keyBy\",\"subTopology\":1,"
                  + "\"store\":null,\"topics\":[\"app-by-word-repartition\"]},"
                  + "{\"id\":3,\"name\":\"concat\",\"kind\":\"reduce\",\"subTopology\":1,"
                  + "\"store\":\"concat\"},"
                  + "{\"id\":4,\"name\":\"sink-4\",\"kind\":\"sink\",\"subTopology\":1,"
                  + "\"store\":null,\"topics\":[\"out\"]}],"
                  + "\"edges\":[{\"from\":0,\"to\":1,\"topic\":null},"
                  + "{\"from\":1,\"to\":2,\"topic\":\"app-by-word-repartition\"},"
                  + "{\"from\":2,\"to\":3,\"topic\":null},"
                  + "{\"from\":3,\"to\":4,\"topic\":null}],"
                  + "\"topics\":{\"sources\":[\"words\"],\"sinks\":[\"out\"],"
                  + "\"repartition\":[\"app-by-word-repartition\"],"
                  + "\"changelogs\":[\"app-concat-changelog\"]}}");
    }
  }

  @Test
  void probesFollowTheStateAndTheRestore() throws Exception {
    try (StatusServer s = start()) {
      status.set(new RuntimeStatus(RuntimeState.REBALANCING, "i-1", List.of(thread(true))));
      assertThat(get(s, "/health").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(s, "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .isEqualTo(
              "{\"status\":\"DOWN\",\"state\":\"REBALANCING\","
                  + "\"reason\":\"the instance is REBALANCING, not RUNNING\"}");

      status.set(
          new RuntimeStatus(
              RuntimeState.RUNNING, "i-1", List.of(thread(true, RUNNING, RESTORING))));
      assertThat(get(s, "/ready").body())
          .isEqualTo(
              "{\"status\":\"DOWN\",\"state\":\"RUNNING\","
                  + "\"reason\":\"1 task(s) still restore state\"}");

      status.set(new RuntimeStatus(RuntimeState.RUNNING, "i-1", List.of(thread(true, RUNNING))));
      ready = get(s, "/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .isEqualTo("{\"status\":\"UP\",\"state\":\"RUNNING\",\"reason\":null}");

      status.set(new RuntimeStatus(RuntimeState.RUNNING, "i-1", List.of(thread(false))));
      HttpResponse<String> health = get(s, "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"reason\":\"no stream thread is alive\"");

      status.set(new RuntimeStatus(RuntimeState.ERROR, "i-1", List.of()));
      assertThat(get(s, "/health").statusCode()).isEqualTo(503);
      assertThat(get(s, "/ready").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void tasksAreTheThreadsAndTheirTasks() throws Exception {
    try (StatusServer s = start()) {
      status.set(
          new RuntimeStatus(
              RuntimeState.RUNNING, "i-1", List.of(thread(true, RUNNING, RESTORING))));
      assertThat(get(s, "/tasks").body())
          .isEqualTo(
              "{\"applicationId\":\"app\",\"instanceId\":\"i-1\",\"state\":\"RUNNING\","
                  + "\"restored\":false,\"threads\":[{\"name\":\"app-StreamThread-0\","
                  + "\"state\":\"RUNNING\",\"alive\":true,\"commits\":4,"
                  + "\"commitLatencyAvgMs\":2.5,\"tasks\":["
                  + "{\"id\":\"1_0\",\"state\":\"RUNNING\",\"restoreRemaining\":0,"
                  + "\"restoreTotal\":0,\"watermark\":5000,\"idle\":false,"
                  + "\"eventTimeLagMs\":20,\"inputs\":[{\"name\":"
                  + "\"app-by-word-repartition-0/upstream-0\",\"watermark\":5000,"
                  + "\"idle\":false,\"recordsLag\":3}]},"
                  + "{\"id\":\"1_1\",\"state\":\"RESTORING\",\"restoreRemaining\":30,"
                  + "\"restoreTotal\":100,\"watermark\":null,\"idle\":false,"
                  + "\"eventTimeLagMs\":null,\"inputs\":[]}]}]}");
    }
  }

  @Test
  void closeWaitsForARequestBeingAnswered() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean release = new AtomicBoolean();
    AtomicBoolean answered = new AtomicBoolean();
    RuntimeStatus running = new RuntimeStatus(RuntimeState.RUNNING, "i-1", List.of(thread(true)));
    StatusServer s =
        StatusServer.start(
            plan(),
            "127.0.0.1",
            0,
            StatusServer.of(
                () -> {
                  entered.countDown();
                  while (!release.get()) {
                    Thread.onSpinWait(); // deaf to the interrupt of shutdownNow()
                  }
                  answered.set(true);
                  return running;
                },
                Map::of));
    var response =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://" + s.address() + "/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
    entered.await();
    AtomicBoolean answeredWhenClosed = new AtomicBoolean();
    Thread closer =
        new Thread(
            () -> {
              s.close();
              answeredWhenClosed.set(answered.get());
            });
    closer.start();
    while (closer.isAlive() && closer.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    release.set(true);
    closer.join();
    assertThat(answeredWhenClosed).isTrue();
    response.handle((r, e) -> null).join(); // answered or cut off, either is fine here
  }

  @Test
  void servesThePageFromTheJarAndOnlyGetAndHead() throws Exception {
    try (StatusServer s = start()) {
      HttpResponse<String> page = get(s, "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("<script src=\"status.js\"></script>");
      assertThat(get(s, "/status.js").body()).contains("function drawTopology");
      assertThat(get(s, "/status.css").statusCode()).isEqualTo(200);
      assertThat(get(s, "/nope").statusCode()).isEqualTo(404);
      HttpResponse<String> post = send(s, "/health", "POST");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
      status.set(new RuntimeStatus(RuntimeState.RUNNING, "i-1", List.of(thread(true))));
      HttpResponse<String> head = send(s, "/ready", "HEAD");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    }
  }

  @Test
  void metricsEndWithTheStateGauge() throws Exception {
    try (StatusServer s = start()) {
      status.set(new RuntimeStatus(RuntimeState.RUNNING, "i-1", List.of()));
      HttpResponse<String> r = get(s, "/metrics");
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body())
          .isEqualTo(
              """
              # HELP weir_application_state The instance's state: 1 for the current one.
              # TYPE weir_application_state gauge
              weir_application_state{application_id="app",state="CREATED"} 0
              weir_application_state{application_id="app",state="REBALANCING"} 0
              weir_application_state{application_id="app",state="RUNNING"} 1
              weir_application_state{application_id="app",state="PENDING_SHUTDOWN"} 0
              weir_application_state{application_id="app",state="NOT_RUNNING"} 0
              weir_application_state{application_id="app",state="PENDING_ERROR"} 0
              weir_application_state{application_id="app",state="ERROR"} 0
              """);
    }
  }

  @Test
  void aPortInUseFailsNamingTheSetting() {
    try (StatusServer first = start()) {
      assertThatThrownBy(
              () ->
                  StatusServer.start(
                      plan(), "127.0.0.1", first.port(), StatusServer.of(status::get, Map::of)))
          .isInstanceOf(WeirException.class)
          .hasMessageStartingWith("The status server cannot listen on 127.0.0.1:" + first.port())
          .hasMessageEndingWith(
              "set status.http.port to a free port, 0 for any free port, or -1 to turn the status"
                  + " server off");
    }
    assertThatThrownBy(
            () ->
                StatusServer.start(
                    plan(), "no-such-host.invalid", 0, StatusServer.of(status::get, Map::of)))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "status.http.bind.address='no-such-host.invalid' does not resolve to an address: set"
                + " it to an address of this host, such as 127.0.0.1 or 0.0.0.0");
  }
}
