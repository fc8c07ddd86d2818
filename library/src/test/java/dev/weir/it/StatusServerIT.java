package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.it.StatusPipeline.Response;
import dev.weir.it.StatusPipeline.RestoreGate;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status server of a running application on a real broker, through its lifecycle: restoring
 * (held by {@link RestoreGate}), running, closed. Probes answer by state; {@code /metrics} has the
 * registry's {@code weir_} metrics with the values of a known input, the same as JMX.
 */
class StatusServerIT {
  @TempDir Path tmp;

  @Test
  void probesAndMetricsThroughRestoringRunningAndClosed() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic(StatusPipeline.IN, 1);
      kafka.createTopic(StatusPipeline.OUT, 1);
      StatusPipeline.produce(bs, 0, 10);

      // A first instance builds the "latest" state; its changelog is what the second restores.
      String firstAddress;
      try (WeirApplication first =
          new WeirApplication(
              StatusPipeline.topology(), StatusPipeline.props(bs, tmp.resolve("a")))) {
        first.start();
        firstAddress = first.statusAddress();
        assertThat(Pipelines.readCommitted(bs, StatusPipeline.OUT, 10, Duration.ofSeconds(60)))
            .hasSize(10);
      }
      assertThatThrownBy(() -> StatusPipeline.get(firstAddress, "/health"))
          .isInstanceOf(ConnectException.class);

      RestoreGate.arm();
      try (WeirApplication app =
          new WeirApplication(
              StatusPipeline.topology(),
              StatusPipeline.props(bs, tmp.resolve("b")),
              RestoreGate.clients())) {
        app.start();
        String address = app.statusAddress();
        assertThat(address).startsWith("127.0.0.1:");
        assertThat(RestoreGate.awaitReached(Duration.ofSeconds(60))).isTrue();
        String client = "status-web-" + app.instanceId();
        String thread = "client_id=\"" + client + "\",thread_id=\"status-web-StreamThread-0\"";
        Response health;
        Response ready;
        Response tasks;
        Response metrics;
        try {
          health = StatusPipeline.get(address, "/health");
          ready = StatusPipeline.get(address, "/ready");
          tasks = StatusPipeline.get(address, "/tasks");
          metrics = StatusPipeline.get(address, "/metrics");
        } finally {
          RestoreGate.release();
        }
        // Restoring: alive, not ready; the stateful task shows as restoring, with the same
        // remaining records as the registry's gauge.
        assertThat(health)
            .isEqualTo(
                new Response(200, "{\"status\":\"UP\",\"state\":\"REBALANCING\",\"reason\":null}"));
        assertThat(ready)
            .isEqualTo(
                new Response(
                    503,
                    "{\"status\":\"DOWN\",\"state\":\"REBALANCING\","
                        + "\"reason\":\"the instance is REBALANCING, not RUNNING\"}"));
        Matcher restoring =
            Pattern.compile(
                    "\\{\"id\":\"1_0\",\"state\":\"RESTORING\",\"restoreRemaining\":(\\d+),"
                        + "\"restoreTotal\":(\\d+),")
                .matcher(tasks.body());
        assertThat(restoring.find()).as(tasks.body()).isTrue();
        long remaining = Long.parseLong(restoring.group(1));
        assertThat(remaining).isPositive().isEqualTo(Long.parseLong(restoring.group(2)));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body().lines())
            .contains(
                "weir_thread_restore_remaining_records{" + thread + "} " + remaining,
                "weir_instance_tasks{client_id=\"" + client + "\"} 2",
                "weir_application_state{application_id=\"status-web\",state=\"REBALANCING\"} 1",
                "weir_application_state{application_id=\"status-web\",state=\"RUNNING\"} 0");

        // Running: ready; five new readings give five outputs, counted in the registry.
        assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.RUNNING)).isTrue();
        assertThat(StatusPipeline.get(address, "/ready"))
            .isEqualTo(
                new Response(200, "{\"status\":\"UP\",\"state\":\"RUNNING\",\"reason\":null}"));
        StatusPipeline.produce(bs, 10, 15);
        List<String> out =
            Pipelines.readCommitted(bs, StatusPipeline.OUT, 15, Duration.ofSeconds(60));
        assertThat(out).hasSize(15);
        Response running = StatusPipeline.get(address, "/metrics");
        assertThat(running.body().lines())
            .contains(
                "# HELP weir_thread_records_out_total records written to sink topics (side"
                    + " outputs' sinks included)",
                "# TYPE weir_thread_records_out_total counter",
                "weir_thread_records_out_total{" + thread + "} 5",
                "weir_thread_restore_remaining_records{" + thread + "} 0",
                "weir_instance_alive_stream_threads{client_id=\"" + client + "\"} 1",
                "weir_application_state{application_id=\"status-web\",state=\"RUNNING\"} 1");
        assertThat(running.body().lines().filter(l -> !l.startsWith("#")))
            .allMatch(l -> l.startsWith("weir_"));
        // The same registry over JMX.
        assertThat(
                ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(
                        new ObjectName(
                            "dev.weir:type=thread-metrics,client-id="
                                + client
                                + ",thread-id=status-web-StreamThread-0"),
                        "records-out-total"))
            .isEqualTo(5.0);

        // Closed: the port is released.
        assertThat(app.close(Duration.ofMinutes(1))).isTrue();
        assertThat(app.statusAddress()).isNull();
        assertThatThrownBy(() -> StatusPipeline.get(address, "/health"))
            .isInstanceOf(ConnectException.class);
      }
    }
  }
}
