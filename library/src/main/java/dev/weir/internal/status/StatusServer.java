package dev.weir.internal.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.errors.WeirException;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.runtime.RuntimeState;
import dev.weir.internal.runtime.RuntimeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP status server of one application instance, on the JDK's own {@code
 * com.sun.net.httpserver}: {@code /health} (liveness), {@code /ready} (readiness), {@code /metrics}
 * (Prometheus), {@code /topology} and {@code /tasks} (JSON), and the status page at {@code /} with
 * its script and style sheet, all served from the jar. GET only. Requests are answered on two
 * daemon threads of its own; every answer is computed from published snapshots, so a slow client
 * never holds a stream thread.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
  private static final String RESOURCES = "/dev/weir/internal/status/";
  private static final String JSON = "application/json; charset=utf-8";

  /** What the server shows; each method may be called from any thread at any time. */
  public interface Source {
    /** The instance's state, threads and tasks. */
    RuntimeStatus status();

    /** The metrics registry's metrics (a live view or a copy). */
    Map<MetricName, ? extends Metric> metrics();
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private StatusServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds the port and starts answering.
   *
   * @param plan the topology, for {@code /topology}
   * @param bindAddress the address to listen on ({@code status.http.bind.address})
   * @param port the port ({@code status.http.port}); 0 picks a free one
   * @param source what the endpoints show
   * @return the running server
   * @throws WeirException naming the setting when the address does not resolve or the port cannot
   *     be bound (in use, say)
   */
  public static StatusServer start(Plan plan, String bindAddress, int port, Source source) {
    InetAddress address;
    try {
      address = InetAddress.getByName(bindAddress);
    } catch (UnknownHostException e) {
      throw new WeirException(
          "status.http.bind.address='"
              + bindAddress
              + "' does not resolve to an address: set it to an address of this host, such as"
              + " 127.0.0.1 or 0.0.0.0",
          e);
    }
    String topology = StatusDocuments.topology(plan);
    Map<String, byte[]> page =
        Map.of(
            "/", resource("index.html"),
            "/status.js", resource("status.js"),
            "/status.css", resource("status.css"));
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 0);
    } catch (IOException e) {
      throw new WeirException(
          "The status server cannot listen on "
              + bindAddress
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "): set status.http.port to a free port, 0 for any free port, or -1 to turn the"
              + " status server off",
          e);
    }
    String app = plan.applicationId();
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, app + "-status-http-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    StatusServer s = new StatusServer(server, executor);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            s.handle(exchange, source, app, topology, page);
          } catch (IOException | RuntimeException e) {
            // A client that went away, or a bug: the next request is answered anyway.
            LOG.debug("Status request {} failed", exchange.getRequestURI(), e);
          }
        });
    server.start();
    LOG.info("Status server of {} listening on http://{}", app, s.address());
    return s;
  }

  /** The address the server listens on (with the port chosen when 0 was asked for). */
  public String address() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops answering at once, releases the port, and waits (up to 5 s) for requests already being
   * answered, so that no handler thread outlives the instance.
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Status server threads still answering 5 s after close; left to finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(
      HttpExchange exchange, Source source, String app, String topology, Map<String, byte[]> page)
      throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "Only GET and HEAD\n");
      return;
    }
    String path = exchange.getRequestURI().getPath();
    switch (path) {
      case "/health" -> health(exchange, source.status());
      case "/ready" -> ready(exchange, source.status());
      case "/metrics" -> send(exchange, 200, PrometheusText.CONTENT_TYPE, metrics(app, source));
      case "/topology" -> send(exchange, 200, JSON, topology);
      case "/tasks" -> send(exchange, 200, JSON, StatusDocuments.tasks(app, source.status()));
      default -> {
        byte[] body = page.get(path.equals("/index.html") ? "/" : path);
        if (body == null) {
          send(exchange, 404, "text/plain; charset=utf-8", "No such page: " + path + "\n");
        } else {
          send(exchange, 200, contentType(path), body);
        }
      }
    }
  }

  /** Live unless the instance failed, or is closed, or no stream thread is left alive. */
  private static void health(HttpExchange exchange, RuntimeStatus s) throws IOException {
    String reason = null;
    RuntimeState state = s.state();
    if (state == RuntimeState.ERROR || state == RuntimeState.PENDING_ERROR) {
      reason = "the instance failed: a stream thread died (see the log)";
    } else if (state == RuntimeState.NOT_RUNNING) {
      reason = "the instance is closed";
    } else if ((state == RuntimeState.RUNNING || state == RuntimeState.REBALANCING)
        && s.threads().stream().noneMatch(RuntimeStatus.ThreadStatus::alive)) {
      reason = "no stream thread is alive";
    }
    probe(exchange, reason, state);
  }

  /** Ready when RUNNING and no task restores state. */
  private static void ready(HttpExchange exchange, RuntimeStatus s) throws IOException {
    String reason = null;
    if (s.state() != RuntimeState.RUNNING) {
      reason = "the instance is " + s.state() + ", not RUNNING";
    } else if (!s.restored()) {
      long tasks =
          s.threads().stream()
              .flatMap(t -> t.tasks().stream())
              .filter(RuntimeStatus.TaskStatus::restoring)
              .count();
      reason = tasks + " task(s) still restore state";
    }
    probe(exchange, reason, s.state());
  }

  private static void probe(HttpExchange exchange, String reason, RuntimeState state)
      throws IOException {
    send(
        exchange,
        reason == null ? 200 : 503,
        JSON,
        StatusDocuments.probe(reason == null, state.name(), reason));
  }

  /** The registry's metrics, then the instance's state as a labelled gauge. */
  private static String metrics(String app, Source source) {
    RuntimeStatus s = source.status();
    StringBuilder out = new StringBuilder(PrometheusText.render(source.metrics()));
    out.append("# HELP weir_application_state The instance's state: 1 for the current one.\n")
        .append("# TYPE weir_application_state gauge\n");
    for (RuntimeState st : RuntimeState.values()) {
      out.append("weir_application_state{application_id=\"")
          .append(app.replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\",state=\"")
          .append(st.name())
          .append("\"} ")
          .append(st == s.state() ? 1 : 0)
          .append('\n');
    }
    return out.toString();
  }

  private static String contentType(String path) {
    if (path.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (path.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/html; charset=utf-8";
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = StatusServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("The status page's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A source reading two suppliers.
   *
   * @param status supplies the instance's state, threads and tasks
   * @param m supplies the metrics
   * @return the source
   */
  public static Source of(
      Supplier<RuntimeStatus> status, Supplier<Map<MetricName, ? extends Metric>> m) {
    return new Source() {
      @Override
      public RuntimeStatus status() {
        return status.get();
      }

      @Override
      public Map<MetricName, ? extends Metric> metrics() {
        return m.get();
      }
    };
  }
}
