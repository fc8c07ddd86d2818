package dev.weir.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the Confluent schema registry REST API (also served by Apicurio Registry's {@code
 * ccompat} API, Karapace and Redpanda). Caches what cannot change: schemas by id, ids of registered
 * (subject, schema) pairs, and numbered versions; the latest version of a subject is always asked
 * for.
 *
 * <p>Requests time out after {@link RegistryConfig#requestTimeoutMs()}; a request that got no
 * answer, a 429 or a 5xx is retried {@link RegistryConfig#retries()} times with doubling backoff,
 * going through the configured URLs in turn. Thread-safe; share one per registry (see {@link
 * SchemaRegistries#get}).
 */
public final class SchemaRegistryClient implements SchemaRegistry {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json,"
          + " application/json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, RegisteredSchema>> versionsBySubject =
      new ConcurrentHashMap<>();

  /**
   * Creates a client.
   *
   * @param config where the registry is and how to authenticate
   * @throws org.apache.kafka.common.config.ConfigException when a key or trust store cannot be
   *     loaded
   */
  public SchemaRegistryClient(RegistryConfig config) {
    this.config = config;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
            .version(HttpClient.Version.HTTP_1_1);
    if (config.trustStore() != null || config.keyStore() != null) {
      b.sslContext(Tls.context(config));
    }
    this.http = b.build();
    if (config.bearerToken() != null) {
      authorization = "Bearer " + config.bearerToken();
    } else if (config.basicUserInfo() != null) {
      authorization =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(config.basicUserInfo().getBytes(StandardCharsets.UTF_8));
    } else {
      authorization = null;
    }
  }

  @Override
  public int register(String subject, String schema) {
    Integer cached = idsBySubject.getOrDefault(subject, Map.of()).get(schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", "/subjects/" + path(subject) + "/versions", body(schema));
    int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(
          "The registry's answer to registering under '" + subject + "' has no id: " + answer,
          200,
          -1,
          null);
    }
    remember(subject, schema, id);
    return id;
  }

  @Override
  public Optional<RegisteredSchema> lookup(String subject, String schema) {
    try {
      JsonNode a = send("POST", "/subjects/" + path(subject), body(schema));
      RegisteredSchema r = registered(subject, a, schema);
      remember(subject, schema, r.id());
      return Optional.of(r);
    } catch (SchemaRegistryException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public String schemaById(int id) {
    String s = schemasById.get(id);
    if (s != null) {
      return s;
    }
    JsonNode a = send("GET", "/schemas/ids/" + id, null);
    s = a.path("schema").asText(null);
    if (s == null) {
      throw new SchemaRegistryException(
          "The registry's answer for schema id " + id + " has no schema: " + a, 200, -1, null);
    }
    schemasById.put(id, s);
    return s;
  }

  @Override
  public Optional<RegisteredSchema> version(String subject, int version) {
    if (version > 0) {
      RegisteredSchema r = versionsBySubject.getOrDefault(subject, Map.of()).get(version);
      if (r != null) {
        return Optional.of(r);
      }
    }
    try {
      String v = version < 0 ? "latest" : Integer.toString(version);
      JsonNode a = send("GET", "/subjects/" + path(subject) + "/versions/" + v, null);
      RegisteredSchema r = registered(subject, a, null);
      versionsBySubject
          .computeIfAbsent(subject, k -> new ConcurrentHashMap<>())
          .put(r.version(), r);
      remember(subject, r.schema(), r.id());
      return Optional.of(r);
    } catch (SchemaRegistryException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<Integer> versions(String subject) {
    try {
      JsonNode a = send("GET", "/subjects/" + path(subject) + "/versions", null);
      List<Integer> out = new ArrayList<>();
      a.forEach(n -> out.add(n.asInt()));
      out.sort(null);
      return out;
    } catch (SchemaRegistryException e) {
      if (e.notFound()) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, String schema, int version) {
    String v = version < 0 ? "latest" : Integer.toString(version);
    try {
      JsonNode a =
          send(
              "POST",
              "/compatibility/subjects/" + path(subject) + "/versions/" + v + "?verbose=true",
              body(schema));
      List<String> messages = new ArrayList<>();
      a.path("messages").forEach(m -> messages.add(m.asText()));
      return new CompatibilityResult(a.path("is_compatible").asBoolean(false), messages);
    } catch (SchemaRegistryException e) {
      if (e.notFound()) {
        return new CompatibilityResult(true, List.of());
      }
      throw e;
    }
  }

  private void remember(String subject, String schema, int id) {
    idsBySubject.computeIfAbsent(subject, k -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
  }

  private static RegisteredSchema registered(String subject, JsonNode a, String schema) {
    String s = a.path("schema").asText(schema);
    return new RegisteredSchema(
        a.path("subject").asText(subject), a.path("id").asInt(), a.path("version").asInt(), s);
  }

  private static String body(String schema) {
    ObjectNode o = JSON.createObjectNode();
    o.put("schema", schema);
    return o.toString();
  }

  /** A subject as one path segment (subjects may hold any character). */
  private static String path(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String pathAndQuery, String body) {
    SchemaRegistryException last = null;
    long backoff = config.retryBackoffMs();
    int urls = config.urls().size();
    for (int attempt = 0; attempt <= config.retries(); attempt++) {
      String base = config.urls().get(attempt % urls);
      HttpRequest.Builder r =
          HttpRequest.newBuilder(URI.create(base + pathAndQuery))
              .timeout(Duration.ofMillis(config.requestTimeoutMs()))
              .header("Accept", ACCEPT);
      if (authorization != null) {
        r.header("Authorization", authorization);
      }
      if (body != null) {
        r.header("Content-Type", CONTENT_TYPE);
        r.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      } else {
        r.method(method, HttpRequest.BodyPublishers.noBody());
      }
      try {
        HttpResponse<String> resp =
            http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = resp.statusCode();
        if (status / 100 == 2) {
          return JSON.readTree(resp.body());
        }
        last = failure(method, base + pathAndQuery, status, resp.body());
        if (status != 429 && status < 500) {
          throw last;
        }
      } catch (IOException e) {
        last =
            new SchemaRegistryException(
                method + " " + base + pathAndQuery + " got no answer: " + e, -1, -1, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            method + " " + base + pathAndQuery + " was interrupted", -1, -1, e);
      }
      if (attempt < config.retries()) {
        sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
    throw new SchemaRegistryException(
        last.getMessage() + " (after " + (config.retries() + 1) + " attempts)",
        last.status(),
        last.errorCode(),
        last.getCause());
  }

  private static SchemaRegistryException failure(
      String method, String url, int status, String body) {
    int code = -1;
    String message = body;
    try {
      JsonNode e = JSON.readTree(body);
      code = e.path("error_code").asInt(-1);
      message = e.path("message").asText(body);
    } catch (IOException | RuntimeException notJson) {
      // The body is not the registry's error object (a proxy's page, say): report it as it is.
    }
    String hint =
        switch (status) {
          case 401 -> ": check basic.auth.user.info or bearer.auth.token";
          case 403 -> ": the credentials lack the permission";
          case 409 -> ": the schema is incompatible with the subject's earlier versions";
          case 422 -> ": the registry considers the schema invalid";
          default -> "";
        };
    return new SchemaRegistryException(
        method
            + " "
            + url
            + " answered "
            + status
            + (code >= 0 ? " (error " + code + ")" : "")
            + ": "
            + message
            + hint,
        status,
        code,
        null);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Interrupted while retrying", -1, -1, e);
    }
  }

  @Override
  public String toString() {
    return "SchemaRegistryClient" + config;
  }
}
