package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a running application in a real headless Chromium: the topology graph, the
 * tasks of the thread and the watermark the known input gives are rendered, read back from the DOM;
 * a screenshot goes to {@code target/status-page.png}. Skipped where Chromium and chromedriver are
 * not installed, unless the {@code CI} environment variable is set: CI must run it ({@code .ci/run}
 * installs Debian's {@code chromium} and {@code chromium-driver}).
 */
class StatusPageBrowserIT {
  private static final Path SCREENSHOT = Path.of("target", "status-page.png");

  @TempDir Path tmp;

  // Waits (in the page) until the graph, both tasks and the expected watermark of the stateful
  // task are on the page, then reports what it found as name=value lines.
  private static final String READ_PAGE =
      """
      const done = arguments[arguments.length - 1];
      const want = '%d';
      function check() {
        const nodes = [...document.querySelectorAll('#topology g.node')]
          .map(g => g.getAttribute('data-operator'));
        const tasks = [...document.querySelectorAll('tr[data-task]')]
          .map(t => t.getAttribute('data-task'));
        const wm = document.querySelector('tr[data-task="1_0"] td.watermark');
        const ready = document.getElementById('ready').textContent;
        if (nodes.length > 0 && tasks.length === 2 && wm
            && wm.getAttribute('data-value') === want && ready === 'ready') {
          done(['nodes=' + nodes.join(','),
                'edges=' + document.querySelectorAll('#topology path.edge').length,
                'exchanges=' + document.querySelectorAll('#topology path.edge.exchange').length,
                'tasks=' + tasks.join(','),
                'watermark=' + wm.textContent,
                'input=' + document.querySelector('tr[data-task="0_0"] tr[data-input]')
                  .textContent,
                'state=' + document.getElementById('state').textContent,
                'ready=' + ready,
                'thread=' + document.querySelector('.thread h3').textContent.split(',')[0]]
            .join('\\n'));
        } else {
          setTimeout(check, 100);
        }
      }
      check();
      """;

  @Test
  void theStatusPageShowsTopologyTasksAndWatermarks() throws Exception {
    Optional<HeadlessChromium.Binaries> chromium = HeadlessChromium.find();
    if (chromium.isEmpty()) {
      String why =
          "chromium and chromedriver are not on the PATH (Debian: apt-get install chromium"
              + " chromium-driver)";
      if (System.getenv("CI") != null) {
        fail(why + "; CI is set, so the browser test must run");
      }
      Assumptions.abort(why);
    }
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic(StatusPipeline.IN, 1);
      kafka.createTopic(StatusPipeline.OUT, 1);
      StatusPipeline.produce(bs, 0, 10);
      try (WeirApplication app =
          new WeirApplication(StatusPipeline.topology(), StatusPipeline.props(bs, tmp))) {
        app.start();
        assertThat(Pipelines.readCommitted(bs, StatusPipeline.OUT, 10, Duration.ofSeconds(60)))
            .hasSize(10);
        assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.RUNNING)).isTrue();
        try (HeadlessChromium browser = new HeadlessChromium(chromium.get(), 1200, 760)) {
          browser.open("http://" + app.statusAddress() + "/");
          String page;
          try {
            page =
                browser.executeAsync(
                    READ_PAGE.formatted(StatusPipeline.watermarkAfter(10)), Duration.ofSeconds(60));
          } finally {
            browser.screenshot(SCREENSHOT);
          }
          // 1_008_899 ms after the epoch, in UTC.
          assertThat(page)
              .isEqualTo(
                  String.join(
                      "\n",
                      "nodes=readings,by-sensor,latest,sink-3",
                      "edges=3",
                      "exchanges=1",
                      "tasks=0_0,1_0",
                      "watermark=1970-01-01 00:16:48.899",
                      "input=sw-in-01970-01-01 00:16:48.899lag 0",
                      "state=RUNNING",
                      "ready=ready",
                      "thread=status-web-StreamThread-0 \u2014 RUNNING"));
        }
      }
    }
  }
}
