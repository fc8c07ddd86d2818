package dev.weir.examples.queries;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weir.WeirApplication;
import dev.weir.query.HostInfo;
import dev.weir.query.KeyQueryMetadata;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Serves {@link ClickCounts}' counts over HTTP: {@code GET /count/{user}} answers {@code 200} with
 * the count when this instance runs the user's task, redirects ({@code 307}) to the instance that
 * does (its {@code application.server}), answers {@code 404} for a user without clicks and {@code
 * 503} with a {@code Retry-After} while the user's task restores or the group rebalances.
 *
 * <pre>{@code
 * CountServer server = CountServer.start(new InetSocketAddress("0.0.0.0", 8080));
 * config.put(WeirConfig.APPLICATION_SERVER_CONFIG, "app-1.internal:8080");
 * WeirApplication app = new WeirApplication(ClickCounts.topology("clicks", "counts"), config);
 * app.start();
 * server.serve(HostInfo.parse("app-1.internal:8080"), CountServer.counts(app));
 * }</pre>
 *
 * <p>The JDK's built-in HTTP server, with a small pool: queries run on its threads, concurrently
 * with the application's stream threads.
 */
public final class CountServer implements AutoCloseable {
  /** Where the server finds counts: an application, or a test driver in tests. */
  public interface Counts {
    /**
     * Which instance runs the user's task.
     *
     * @param user the user
     * @return the metadata
     */
    KeyQueryMetadata metadata(String user);

    /**
     * Reads the user's count here.
     *
     * @param user the user
     * @return the count, or null when the user has none
     * @throws StateQueryException when this instance cannot answer now
     */
    Long count(String user);
  }

  private final HttpServer http;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private volatile HostInfo self;
  private volatile Counts counts;

  private CountServer(HttpServer http) {
    this.http = http;
    http.createContext("/count/", this::handle);
    http.setExecutor(pool);
    http.start();
  }

  /**
   * Starts listening; requests get {@code 503} until {@link #serve} is called.
   *
   * @param bind the address and port to listen on (port 0 picks a free one)
   * @return the server
   * @throws IOException when it cannot listen
   */
  public static CountServer start(InetSocketAddress bind) throws IOException {
    return new CountServer(HttpServer.create(bind, 0));
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * Starts answering.
   *
   * @param self this instance's {@code application.server}
   * @param counts where the counts come from
   */
  public void serve(HostInfo self, Counts counts) {
    this.self = self;
    this.counts = counts;
  }

  /**
   * The counts of a running application.
   *
   * @param app the application, with {@code application.server} set
   * @return its counts
   */
  public static Counts counts(WeirApplication app) {
    // [docs:query-state]
    ReadOnlyKeyedState<String, Long> state =
        app.query(StateQuery.value(ClickCounts.UID, ClickCounts.COUNT, Serdes.String()));
    // later, on any thread: state.get("alice") -> the committed count, or null
    // [/docs:query-state]
    return new Counts() {
      @Override
      public KeyQueryMetadata metadata(String user) {
        // [docs:query-metadata]
        return app.queryMetadataForKey(ClickCounts.UID, user, new StringSerializer());
        // [/docs:query-metadata]
      }

      @Override
      public Long count(String user) {
        return state.get(user);
      }
    };
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "GET only");
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      String user = URLDecoder.decode(path.substring("/count/".length()), StandardCharsets.UTF_8);
      Counts c = counts;
      if (c == null || user.isEmpty()) {
        reply(exchange, c == null ? 503 : 404, c == null ? "starting" : "GET /count/{user}");
        return;
      }
      // [docs:query-route]
      try {
        Optional<HostInfo> active = c.metadata(user).activeHost();
        if (active.isPresent() && !active.get().equals(self)) {
          redirect(exchange, active.get(), user); // 307 to the instance that runs the key
          return;
        }
        Long n = c.count(user);
        reply(exchange, n == null ? 404 : 200, n == null ? "no clicks by " + user : n.toString());
      } catch (StateQueryException e) {
        // RESTORING, REBALANCING, or NOT_HOSTED because the task moved since the metadata was
        // read: all mean "ask again shortly".
        exchange.getResponseHeaders().set("Retry-After", "1");
        reply(exchange, 503, e.reason() + ": " + e.getMessage());
      }
      // [/docs:query-route]
    }
  }

  private static void redirect(HttpExchange exchange, HostInfo to, String user) throws IOException {
    exchange
        .getResponseHeaders()
        .set(
            "Location",
            "http://" + to + "/count/" + URLEncoder.encode(user, StandardCharsets.UTF_8));
    exchange.sendResponseHeaders(307, -1);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops listening at once and ends the request threads. */
  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }
}
