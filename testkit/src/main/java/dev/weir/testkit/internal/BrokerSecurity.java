package dev.weir.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The security of a secured test cluster: a {@code SASL_SSL} client listener with SCRAM-SHA-512, an
 * {@code SSL} controller listener with mutual TLS, and Kafka's KRaft {@code StandardAuthorizer}
 * with ACLs required for everyone but the super users.
 *
 * <p>The certificate is made at test time: one {@code keytool -genkeypair} run of the running JDK
 * (the JDK has no public API that signs a certificate) makes a self-signed EC key pair for {@code
 * CN=weir-testkit-broker} valid for {@code 127.0.0.1} and {@code localhost}; the trust store is
 * written in-process with {@link KeyStore}. Every node presents the same certificate; on the
 * controller listener it is also the client certificate, so the nodes' principal {@value
 * #BROKER_PRINCIPAL} is a super user and needs no ACL. The super user {@value #ADMIN_USER} is
 * written into the cluster metadata when the storage is formatted ({@code --add-scram}), because
 * the nodes authenticate as it to each other before any credential could be created through a
 * client.
 *
 * <p><b>Threading:</b> immutable after {@link #create}.
 */
public final class BrokerSecurity {

  /** The SASL mechanism of the client listener. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The super user that the testkit's own clients and the inter-broker traffic use. */
  public static final String ADMIN_USER = "admin";

  /** The principal of the nodes' certificate, a super user. */
  static final String BROKER_PRINCIPAL = "User:CN=weir-testkit-broker";

  /** The name and the security protocol of the client listener. */
  static final String CLIENT_LISTENER = "SASL_SSL";

  /** System property that hands the {@code --add-scram} argument to {@link BrokerMain}. */
  static final String SCRAM_PROPERTY = "weir.testkit.addScram";

  private static final String STORE_TYPE = "PKCS12";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

  private final Path keyStore;
  private final Path trustStore;
  private final String storePassword;
  private final String adminPassword;

  private BrokerSecurity(
      Path keyStore, Path trustStore, String storePassword, String adminPassword) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.storePassword = storePassword;
    this.adminPassword = adminPassword;
  }

  /**
   * Makes a key store and a trust store in {@code directory} with fresh random passwords.
   *
   * @param directory an existing directory of the cluster, deleted with it
   * @return the security of one cluster
   * @throws UncheckedIOException when {@code keytool} fails or the stores cannot be written
   */
  public static BrokerSecurity create(Path directory) {
    String storePassword = randomSecret();
    Path keyStore = directory.resolve("broker.p12");
    Path trustStore = directory.resolve("truststore.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    runKeytool(
        List.of(
            keytool.toString(),
            "-genkeypair",
            "-alias",
            "broker",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-sigalg",
            "SHA256withECDSA",
            "-dname",
            BROKER_PRINCIPAL.substring("User:".length()),
            "-ext",
            "SAN=ip:" + NodeAddress.HOST + ",dns:localhost",
            "-validity",
            "7",
            "-keystore",
            keyStore.toString(),
            "-storetype",
            STORE_TYPE,
            "-storepass",
            storePassword,
            "-keypass",
            storePassword),
        directory);
    try {
      KeyStore keys = KeyStore.getInstance(STORE_TYPE);
      try (InputStream in = Files.newInputStream(keyStore)) {
        keys.load(in, storePassword.toCharArray());
      }
      Certificate certificate = keys.getCertificate("broker");
      KeyStore trusted = KeyStore.getInstance(STORE_TYPE);
      trusted.load(null, null);
      trusted.setCertificateEntry("weir-testkit-ca", certificate);
      try (OutputStream out = Files.newOutputStream(trustStore)) {
        trusted.store(out, storePassword.toCharArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the trust store " + trustStore, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not build the trust store " + trustStore, e);
    }
    return new BrokerSecurity(keyStore, trustStore, storePassword, randomSecret());
  }

  /**
   * The server properties that secure one node; they replace the plaintext listener settings of
   * {@link BrokerProperties#forNode}.
   *
   * @param self the node
   * @return server properties
   */
  public Map<String, String> brokerProperties(NodeAddress self) {
    Map<String, String> p = new LinkedHashMap<>();
    String controller = BrokerProperties.CONTROLLER_LISTENER;
    p.put(
        "listeners",
        CLIENT_LISTENER
            + "://"
            + self.brokerEndpoint()
            + ","
            + controller
            + "://"
            + NodeAddress.HOST
            + ":"
            + self.controllerPort());
    p.put("advertised.listeners", CLIENT_LISTENER + "://" + self.brokerEndpoint());
    p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL," + controller + ":SSL");
    p.put("inter.broker.listener.name", CLIENT_LISTENER);
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put(
        "listener.name."
            + CLIENT_LISTENER.toLowerCase()
            + "."
            + MECHANISM.toLowerCase()
            + ".sasl.jaas.config",
        jaas(ADMIN_USER, adminPassword));
    p.put("ssl.keystore.type", STORE_TYPE);
    p.put("ssl.keystore.location", keyStore.toAbsolutePath().toString());
    p.put("ssl.keystore.password", storePassword);
    p.put("ssl.key.password", storePassword);
    p.put("ssl.truststore.type", STORE_TYPE);
    p.put("ssl.truststore.location", trustStore.toAbsolutePath().toString());
    p.put("ssl.truststore.password", storePassword);
    // The nodes authenticate to the controllers by their certificate.
    p.put("listener.name." + controller.toLowerCase() + ".ssl.client.auth", "required");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + ADMIN_USER + ";" + BROKER_PRINCIPAL);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  /**
   * The {@code --add-scram} argument of {@code kafka-storage format} that creates the super user.
   *
   * @return for example {@code SCRAM-SHA-512=[name=admin,password=...]}
   */
  public String scramArgument() {
    return MECHANISM + "=[name=" + ADMIN_USER + ",password=" + adminPassword + "]";
  }

  /**
   * The password of {@value #ADMIN_USER}.
   *
   * @return a random hex string
   */
  public String adminPassword() {
    return adminPassword;
  }

  /**
   * Client settings that authenticate as {@code user} over TLS, trusting the cluster's certificate.
   *
   * @param user a SCRAM user of the cluster
   * @param password its password
   * @return {@code security.protocol}, {@code sasl.*} and {@code ssl.truststore.*} settings (no
   *     {@code bootstrap.servers})
   */
  public Map<String, Object> clientProperties(String user, String password) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("security.protocol", "SASL_SSL");
    c.put("sasl.mechanism", MECHANISM);
    c.put("sasl.jaas.config", jaas(user, password));
    c.put("ssl.truststore.type", STORE_TYPE);
    c.put("ssl.truststore.location", trustStore.toAbsolutePath().toString());
    c.put("ssl.truststore.password", storePassword);
    return c;
  }

  private static String jaas(String user, String password) {
    if (user.contains("\"") || password.contains("\"")) {
      throw new IllegalArgumentException("a SCRAM user or password must not contain '\"'");
    }
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void runKeytool(List<String> command, Path directory) {
    Path output = directory.resolve("keytool.log");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s: " + command.get(0));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool failed with status "
                + process.exitValue()
                + ": "
                + Files.readString(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while keytool made the certificate", e);
    }
  }
}
