package dev.weir.serde.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.weir.serde.registry.CompatibilityResult;
import dev.weir.serde.registry.InMemorySchemaRegistry;
import dev.weir.serde.registry.RegisteredSchema;
import dev.weir.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A schema registry on loopback that answers the Confluent REST API as its reference documents it
 * (paths, bodies, {@code error_code}s, content type), backed by an {@link InMemorySchemaRegistry}.
 * No Confluent-compatible registry can run here (none is on Maven Central, Debian or npm as a
 * runnable server), so the client's HTTP side is tested against this.
 *
 * <p>Test hooks: required credentials, the next N requests failing with 503, a request that never
 * gets an answer, TLS, and the log of requests.
 */
public final class FakeConfluentRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TYPE = "application/vnd.schemaregistry.v1+json";

  private final InMemorySchemaRegistry store = new InMemorySchemaRegistry();
  private final HttpServer server;
  private final String scheme;
  private volatile String requiredAuthorization;
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger hangNext = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

  private FakeConfluentRegistry(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  /** Starts a plain-HTTP registry on a free loopback port. */
  public static FakeConfluentRegistry start() throws IOException {
    return new FakeConfluentRegistry(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
  }

  /** Starts an HTTPS registry with the given server context. */
  public static FakeConfluentRegistry startTls(SSLContext context) throws IOException {
    HttpsServer s =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(context));
    return new FakeConfluentRegistry(s, "https");
  }

  /** The base URL. */
  public String url() {
    return scheme + "://localhost:" + server.getAddress().getPort();
  }

  /** The registry's contents. */
  public InMemorySchemaRegistry store() {
    return store;
  }

  /** Requests must carry exactly this Authorization header (null: none needed). */
  public void requireAuthorization(String header) {
    this.requiredAuthorization = header;
  }

  /** The next {@code n} requests get a 503. */
  public void failNext(int n) {
    failNext.set(n);
  }

  /** The next {@code n} requests get no answer until {@link #close()}. */
  public void hangNext(int n) {
    hangNext.set(n);
  }

  /** "METHOD path" of every request so far. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      requests.add(ex.getRequestMethod() + " " + path);
      if (hangNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        released.await();
        return;
      }
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(ex, 503, 50003, "Error while forwarding the request to the primary");
        return;
      }
      String auth = requiredAuthorization;
      if (auth != null && !auth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        error(ex, 401, 40101, "Unauthorized");
        return;
      }
      route(ex, ex.getRequestMethod(), path.split("/"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void route(HttpExchange ex, String method, String[] p) throws IOException {
    // p[0] is "" (the path starts with '/').
    try {
      if (method.equals("GET") && p.length == 4 && p[1].equals("schemas") && p[2].equals("ids")) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", store.schemaById(Integer.parseInt(p[3])));
        ok(ex, o);
      } else if (p.length >= 3 && p[1].equals("subjects")) {
        String subject = URLDecoder.decode(p[2], StandardCharsets.UTF_8);
        if (p.length == 3 && method.equals("POST")) {
          Optional<RegisteredSchema> r = store.lookup(subject, schemaOf(ex));
          if (r.isEmpty()) {
            boolean known = !store.versions(subject).isEmpty();
            error(
                ex,
                404,
                known ? 40403 : 40401,
                known ? "Schema not found" : "Subject '" + subject + "' not found.");
            return;
          }
          ok(ex, version(r.get()));
        } else if (p.length == 4 && p[3].equals("versions") && method.equals("POST")) {
          ObjectNode o = JSON.createObjectNode();
          o.put("id", store.register(subject, schemaOf(ex)));
          ok(ex, o);
        } else if (p.length == 4 && p[3].equals("versions") && method.equals("GET")) {
          List<Integer> vs = store.versions(subject);
          if (vs.isEmpty()) {
            error(ex, 404, 40401, "Subject '" + subject + "' not found.");
            return;
          }
          ArrayNode a = JSON.createArrayNode();
          vs.forEach(a::add);
          ok(ex, a);
        } else if (p.length == 5 && p[3].equals("versions") && method.equals("GET")) {
          if (store.versions(subject).isEmpty()) {
            error(ex, 404, 40401, "Subject '" + subject + "' not found.");
            return;
          }
          int v = p[4].equals("latest") ? -1 : Integer.parseInt(p[4]);
          Optional<RegisteredSchema> r = store.version(subject, v);
          if (r.isEmpty()) {
            error(ex, 404, 40402, "Version " + p[4] + " not found.");
            return;
          }
          ok(ex, version(r.get()));
        } else {
          error(ex, 404, 404, "HTTP 404 Not Found");
        }
      } else if (method.equals("POST") && p.length == 6 && p[1].equals("compatibility")) {
        String subject = URLDecoder.decode(p[3], StandardCharsets.UTF_8);
        if (store.versions(subject).isEmpty()) {
          error(ex, 404, 40401, "Subject '" + subject + "' not found.");
          return;
        }
        int v = p[5].equals("latest") ? -1 : Integer.parseInt(p[5]);
        CompatibilityResult c = store.testCompatibility(subject, schemaOf(ex), v);
        ObjectNode o = JSON.createObjectNode();
        o.put("is_compatible", c.compatible());
        if (ex.getRequestURI().getQuery() != null
            && ex.getRequestURI().getQuery().contains("verbose=true")) {
          ArrayNode m = o.putArray("messages");
          c.messages().forEach(m::add);
        }
        ok(ex, o);
      } else {
        error(ex, 404, 404, "HTTP 404 Not Found");
      }
    } catch (SchemaRegistryException e) {
      error(ex, e.status(), e.errorCode(), e.getMessage());
    } catch (org.apache.avro.SchemaParseException e) {
      error(ex, 422, 42201, "Invalid schema: " + e.getMessage());
    }
  }

  private static ObjectNode version(RegisteredSchema r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("subject", r.subject());
    o.put("version", r.version());
    o.put("id", r.id());
    o.put("schema", r.schema());
    return o;
  }

  private static String schemaOf(HttpExchange ex) throws IOException {
    JsonNode body = JSON.readTree(ex.getRequestBody());
    String s = body.path("schema").asText(null);
    if (s == null) {
      throw new SchemaRegistryException("Empty schema", 422, 42201, null);
    }
    // Validates the schema as the real registry does (422 for an invalid one).
    new org.apache.avro.Schema.Parser().parse(s);
    return s;
  }

  private static void ok(HttpExchange ex, JsonNode body) throws IOException {
    send(ex, 200, body.toString());
  }

  private static void error(HttpExchange ex, int status, int code, String message)
      throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("error_code", code);
    o.put("message", message);
    send(ex, status, o.toString());
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", TYPE);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
