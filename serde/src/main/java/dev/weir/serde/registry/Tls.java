package dev.weir.serde.registry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/** Builds the TLS context of a registry client from its key and trust stores. */
final class Tls {
  private Tls() {}

  static SSLContext context(RegistryConfig config) {
    try {
      TrustManagerFactory tmf = null;
      if (config.trustStore() != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(config.trustStore(), RegistryConfig.TRUSTSTORE_LOCATION));
      }
      KeyManagerFactory kmf = null;
      if (config.keyStore() != null) {
        RegistryConfig.Store s = config.keyStore();
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String keyPassword = s.keyPassword() != null ? s.keyPassword() : s.password();
        kmf.init(
            load(s, RegistryConfig.KEYSTORE_LOCATION),
            keyPassword == null ? new char[0] : keyPassword.toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return ctx;
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("Cannot set up TLS for the schema registry: " + e);
    }
  }

  private static KeyStore load(RegistryConfig.Store s, String key) {
    try (InputStream in = Files.newInputStream(Path.of(s.location()))) {
      KeyStore ks = KeyStore.getInstance(s.type());
      ks.load(in, s.password() == null ? null : s.password().toCharArray());
      return ks;
    } catch (Exception e) {
      throw new ConfigException(key, s.location(), "cannot load the " + s.type() + " store: " + e);
    }
  }
}
