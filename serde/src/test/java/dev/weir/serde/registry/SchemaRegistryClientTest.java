package dev.weir.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.serde.testing.FakeConfluentRegistry;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST client against a registry on loopback that answers as the API reference documents. */
class SchemaRegistryClientTest {
  private static final String V1 =
      "{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
  private static final String V2 =
      "{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"n\",\"type\":\"int\",\"default\":0}]}";
  private static final String NO_DEFAULT =
      "{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"n\",\"type\":\"int\"}]}";

  private FakeConfluentRegistry server;

  @BeforeEach
  void start() throws Exception {
    server = FakeConfluentRegistry.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SchemaRegistryClient client(Map<String, Object> extra) {
    Map<String, Object> c = new HashMap<>(extra);
    c.putIfAbsent(RegistryConfig.URL, server.url());
    c.putIfAbsent(RegistryConfig.RETRY_BACKOFF_MS, 1);
    return new SchemaRegistryClient(RegistryConfig.from(c));
  }

  @Test
  void registersLooksUpAndFetchesVersions() {
    SchemaRegistryClient c = client(Map.of());

    int id1 = c.register("orders-value", V1);
    int id2 = c.register("orders-value", V2);
    int same = c.register("audit-value", V1);

    assertThat(List.of(id1, id2, same)).containsExactly(1, 2, 1);
    assertThat(c.versions("orders-value")).containsExactly(1, 2);
    assertThat(c.version("orders-value", -1))
        .contains(new RegisteredSchema("orders-value", 2, 2, V2));
    assertThat(c.version("orders-value", 1))
        .contains(new RegisteredSchema("orders-value", 1, 1, V1));
    assertThat(c.lookup("audit-value", V1)).contains(new RegisteredSchema("audit-value", 1, 1, V1));
    assertThat(c.schemaById(2)).isEqualTo(V2);
  }

  @Test
  void unknownSubjectsAndVersionsAreEmptyNotErrors() {
    SchemaRegistryClient c = client(Map.of());
    c.register("orders-value", V1);

    assertThat(c.versions("nope")).isEmpty();
    assertThat(c.version("nope", -1)).isEmpty();
    assertThat(c.version("orders-value", 9)).isEmpty();
    assertThat(c.lookup("nope", V1)).isEmpty();
    assertThat(c.lookup("orders-value", V2)).isEqualTo(Optional.empty());
    assertThatThrownBy(() -> c.schemaById(99))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessage(
            "GET "
                + server.url()
                + "/schemas/ids/99 answered 404 (error 40403): Schema 99 not found")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40403));
  }

  @Test
  void checksCompatibilityAndReportsTheRegistrysReasons() {
    SchemaRegistryClient c = client(Map.of());
    assertThat(c.testCompatibility("orders-value", V1, -1))
        .isEqualTo(new CompatibilityResult(true, List.of()));
    c.register("orders-value", V1);

    assertThat(c.testCompatibility("orders-value", V2, -1).compatible()).isTrue();
    CompatibilityResult bad = c.testCompatibility("orders-value", NO_DEFAULT, 1);
    assertThat(bad.compatible()).isFalse();
    assertThat(bad.messages())
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThatThrownBy(() -> c.register("orders-value", NO_DEFAULT))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageStartingWith(
            "POST " + server.url() + "/subjects/orders-value/versions answered 409")
        .hasMessageEndingWith(": the schema is incompatible with the subject's earlier versions");
    assertThatThrownBy(() -> c.register("orders-value", "{not a schema"))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("answered 422 (error 42201)");
  }

  @Test
  void cachesWhatCannotChange() {
    SchemaRegistryClient c = client(Map.of());
    int id = c.register("orders-value", V1);
    c.register("orders-value", V1);
    SchemaRegistryClient other = client(Map.of());
    other.schemaById(id);
    other.schemaById(id);
    other.version("orders-value", 1);
    other.version("orders-value", 1);

    assertThat(server.requests())
        .containsExactly(
            "POST /subjects/orders-value/versions",
            "GET /schemas/ids/1",
            "GET /subjects/orders-value/versions/1");
  }

  @Test
  void subjectsAreEncodedAsOnePathSegment() {
    SchemaRegistryClient c = client(Map.of());
    c.register("app/state counts-value", V1);
    assertThat(server.requests())
        .containsExactly("POST /subjects/app%2Fstate%20counts-value/versions");
    assertThat(c.versions("app/state counts-value")).containsExactly(1);
  }

  @Test
  void sendsBasicAndBearerCredentials() {
    server.requireAuthorization("Basic dXNlcjpzZWNyZXQ="); // user:secret
    assertThatThrownBy(() -> client(Map.of()).register("s", V1))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageEndingWith(
            "answered 401 (error 40101): Unauthorized: check basic.auth.user.info"
                + " or bearer.auth.token");
    assertThat(
            client(
                    Map.of(
                        RegistryConfig.BASIC_AUTH_SOURCE, "USER_INFO",
                        RegistryConfig.BASIC_AUTH_USER_INFO, "user:secret"))
                .register("s", V1))
        .isEqualTo(1);

    server.requireAuthorization("Bearer t0k3n");
    assertThat(client(Map.of(RegistryConfig.BEARER_TOKEN, "t0k3n")).register("s", V1)).isEqualTo(1);
  }

  @Test
  void retriesServerErrorsThenGivesUp() {
    server.failNext(2);
    assertThat(client(Map.of(RegistryConfig.RETRIES, 2)).register("s", V1)).isEqualTo(1);
    assertThat(server.requests()).hasSize(3);

    server.failNext(5);
    assertThatThrownBy(() -> client(Map.of(RegistryConfig.RETRIES, 1)).register("t", V1))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessage(
            "POST "
                + server.url()
                + "/subjects/t/versions answered 503 (error 50003): Error while forwarding the"
                + " request to the primary (after 2 attempts)");
  }

  @Test
  void aRequestWithoutAnswerTimesOutAndIsRetried() {
    server.hangNext(1);
    SchemaRegistryClient c =
        client(Map.of(RegistryConfig.REQUEST_TIMEOUT_MS, 300, RegistryConfig.RETRIES, 1));
    assertThat(c.register("s", V1)).isEqualTo(1);
    assertThat(server.requests()).hasSize(2);

    server.hangNext(1);
    assertThatThrownBy(
            () ->
                client(Map.of(RegistryConfig.REQUEST_TIMEOUT_MS, 300, RegistryConfig.RETRIES, 0))
                    .register("t", V1))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageStartingWith("POST " + server.url() + "/subjects/t/versions got no answer: ")
        .hasMessageContaining("timed out");
  }

  @Test
  void triesTheNextUrlWhenOneIsDown() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    SchemaRegistryClient c =
        client(Map.of(RegistryConfig.URL, "http://localhost:" + dead + "," + server.url()));
    assertThat(c.register("s", V1)).isEqualTo(1);
  }

  @Test
  void speaksTlsWithTheConfiguredTrustStore(@TempDir Path dir) throws Exception {
    Path ks = dir.resolve("registry.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);

    try (FakeConfluentRegistry tls = FakeConfluentRegistry.startTls(ctx)) {
      Map<String, Object> trusted =
          Map.of(
              RegistryConfig.URL,
              tls.url(),
              RegistryConfig.TRUSTSTORE_LOCATION,
              ks.toString(),
              RegistryConfig.TRUSTSTORE_PASSWORD,
              "changeit",
              RegistryConfig.RETRIES,
              0);
      assertThat(client(trusted).register("s", V1)).isEqualTo(1);

      Map<String, Object> untrusted =
          Map.of(RegistryConfig.URL, tls.url(), RegistryConfig.RETRIES, 0);
      assertThatThrownBy(() -> client(untrusted).register("s", V1))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageStartingWith("POST " + tls.url() + "/subjects/s/versions got no answer: ")
          .hasMessageContaining("SSLHandshakeException");
    }
  }

  @Test
  void configurationErrorsSayWhatToSet() {
    assertThatThrownBy(() -> RegistryConfig.from(Map.of()))
        .hasMessage(
            "schema.registry.url is not set: the Avro serdes need a schema registry; set it to the"
                + " registry's URL (http://host:8081), or to mock://NAME for an in-memory registry"
                + " in tests");
    assertThatThrownBy(
            () ->
                RegistryConfig.from(
                    Map.of(RegistryConfig.URL, "http://x", RegistryConfig.RETRIES, "many")))
        .hasMessage(
            "Invalid value many for configuration schema.registry.retries: expected a non-negative"
                + " whole number");
    assertThat(
            RegistryConfig.from(
                    Map.of(
                        RegistryConfig.URL, "http://x",
                        RegistryConfig.BASIC_AUTH_USER_INFO, "u:secret"))
                .toString())
        .doesNotContain("secret");
  }
}
