package dev.weir.serde.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * How to reach a schema registry, read from a serde's configuration. The key names follow
 * Confluent's serdes where they have one, so an existing configuration carries over.
 *
 * @param urls the registry's base URLs, tried in turn; {@code mock://SCOPE} selects an in-memory
 *     registry shared by everything in the JVM configured with the same scope
 * @param basicUserInfo {@code user:password} for HTTP basic authentication, or null
 * @param bearerToken a token for HTTP bearer authentication, or null
 * @param trustStore the TLS trust store, or null for the JVM's default trust
 * @param keyStore the TLS key store for client authentication, or null
 * @param connectTimeoutMs how long to wait for a connection
 * @param requestTimeoutMs how long to wait for one answer
 * @param retries how many times a failed request (no answer, 429 or 5xx) is retried
 * @param retryBackoffMs the pause before the first retry; doubles on each further one
 */
public record RegistryConfig(
    List<String> urls,
    String basicUserInfo,
    String bearerToken,
    Store trustStore,
    Store keyStore,
    long connectTimeoutMs,
    long requestTimeoutMs,
    int retries,
    long retryBackoffMs) {

  /** The registry's URLs, comma-separated. */
  public static final String URL = "schema.registry.url";

  /** Where basic-auth credentials come from: {@code USER_INFO} (the default) or {@code URL}. */
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";

  /** {@code user:password} for basic authentication. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** A static token for bearer authentication. */
  public static final String BEARER_TOKEN = "bearer.auth.token";

  /** The trust store file (JKS or PKCS12) for a registry served over TLS. */
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";

  /** The trust store's password. */
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";

  /** The trust store's type; PKCS12 unless set. */
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

  /** The key store file for TLS client authentication. */
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";

  /** The key store's password. */
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";

  /** The key store's type; PKCS12 unless set. */
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";

  /** The private key's password; the key store's password unless set. */
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

  /** Connection timeout in milliseconds; 10000 unless set. */
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";

  /** Timeout of one request in milliseconds; 30000 unless set. */
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

  /** Retries of a request that got no answer, a 429 or a 5xx; 3 unless set. */
  public static final String RETRIES = "schema.registry.retries";

  /** The first retry's backoff in milliseconds (doubling); 200 unless set. */
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

  /**
   * A key or trust store.
   *
   * @param location the file
   * @param password its password, or null
   * @param type its type (PKCS12, JKS)
   * @param keyPassword the private key's password (key stores), or null
   */
  public record Store(String location, String password, String type, String keyPassword) {}

  /**
   * Copies the URL list.
   *
   * @param urls the registry URLs; copied
   * @param basicUserInfo {@code user:password} for basic authentication, or null
   * @param bearerToken a bearer token, or null
   * @param trustStore the TLS trust store, or null
   * @param keyStore the TLS key store, or null
   * @param connectTimeoutMs the connect timeout
   * @param requestTimeoutMs the timeout of one answer
   * @param retries how many retries
   * @param retryBackoffMs the first retry pause
   */
  public RegistryConfig {
    urls = List.copyOf(urls);
  }

  /**
   * Reads the registry settings from a serde configuration.
   *
   * @param configs the configuration; Weir passes the application's
   * @return the settings
   * @throws ConfigException when {@value #URL} is missing or a value is malformed
   */
  public static RegistryConfig from(Map<String, ?> configs) {
    Object url = configs.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException(
          URL
              + " is not set: the Avro serdes need a schema registry; set it to the registry's"
              + " URL (http://host:8081), or to mock://NAME for an in-memory registry in tests");
    }
    List<String> urls = new ArrayList<>();
    for (String u : url.toString().split(",")) {
      String t = u.trim();
      if (!t.isEmpty()) {
        urls.add(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
      }
    }
    String userInfo = string(configs, BASIC_AUTH_USER_INFO);
    if (userInfo == null) {
      userInfo = string(configs, "schema.registry." + BASIC_AUTH_USER_INFO);
    }
    if ("URL".equalsIgnoreCase(string(configs, BASIC_AUTH_SOURCE))) {
      userInfo = java.net.URI.create(urls.get(0)).getUserInfo();
    }
    Store trust = null;
    if (string(configs, TRUSTSTORE_LOCATION) != null) {
      trust =
          new Store(
              string(configs, TRUSTSTORE_LOCATION),
              string(configs, TRUSTSTORE_PASSWORD),
              orDefault(string(configs, TRUSTSTORE_TYPE), "PKCS12"),
              null);
    }
    Store key = null;
    if (string(configs, KEYSTORE_LOCATION) != null) {
      key =
          new Store(
              string(configs, KEYSTORE_LOCATION),
              string(configs, KEYSTORE_PASSWORD),
              orDefault(string(configs, KEYSTORE_TYPE), "PKCS12"),
              string(configs, KEY_PASSWORD));
    }
    return new RegistryConfig(
        urls,
        userInfo,
        string(configs, BEARER_TOKEN),
        trust,
        key,
        number(configs, CONNECT_TIMEOUT_MS, 10_000),
        number(configs, REQUEST_TIMEOUT_MS, 30_000),
        (int) number(configs, RETRIES, 3),
        number(configs, RETRY_BACKOFF_MS, 200));
  }

  /**
   * Whether this selects the in-memory registry.
   *
   * @return true for a {@code mock://} URL
   */
  public boolean isMock() {
    return urls.get(0).startsWith("mock://");
  }

  private static String string(Map<String, ?> configs, String key) {
    Object v = configs.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof org.apache.kafka.common.config.types.Password p) {
      return p.value();
    }
    return v.toString();
  }

  private static String orDefault(String v, String d) {
    return v == null ? d : v;
  }

  private static long number(Map<String, ?> configs, String key, long defaultValue) {
    String v = string(configs, key);
    if (v == null) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException("negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "expected a non-negative whole number");
    }
  }

  @Override
  public String toString() {
    // Credentials stay out of logs and exception messages.
    return "RegistryConfig[urls="
        + urls
        + ", basicAuth="
        + (basicUserInfo != null)
        + ", bearerAuth="
        + (bearerToken != null)
        + ", tls="
        + (trustStore != null || keyStore != null)
        + "]";
  }
}
