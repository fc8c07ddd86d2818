package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDB;

/**
 * Guards the platforms Weir runs on: users get the {@code rocksdbjni} jar that {@code
 * weir-state-store} declares, and RocksDB looks its native library up as a class path resource
 * named after the platform. Some rocksdbjni releases ship the natives only in classifier jars
 * (10.4.2's main jar had none), so an upgrade can silently leave every platform but the build
 * machine's without state. This test runs on one platform but checks all of them, the way the
 * loader finds them: as class path resources, whether they come from the main jar or classifier
 * jars.
 */
class RocksDbNativesTest {
  /** The resource names RocksDB's loader asks for on each platform Kafka Streams supports. */
  private static final List<String> REQUIRED =
      List.of(
          "librocksdbjni-linux64.so", // Linux x86_64, glibc
          "librocksdbjni-linux64-musl.so", // Linux x86_64, musl (Alpine)
          "librocksdbjni-linux-aarch64.so", // Linux arm64, glibc
          "librocksdbjni-linux-aarch64-musl.so", // Linux arm64, musl
          "librocksdbjni-osx-x86_64.jnilib", // macOS Intel
          "librocksdbjni-osx-arm64.jnilib", // macOS Apple silicon
          "librocksdbjni-win64.dll"); // Windows x86_64

  @Test
  void theClassPathCarriesRocksDbNativesForEveryPlatform() {
    ClassLoader loader = RocksDB.class.getClassLoader();
    URL rocksDbClass = loader.getResource("org/rocksdb/RocksDB.class");
    String jar = jarOf(rocksDbClass);

    List<String> missing =
        REQUIRED.stream()
            .filter(name -> loader.getResource(name) == null)
            .collect(Collectors.toList());
    assertThat(missing)
        .as(
            "RocksDB natives missing from the class path (RocksDB comes from %s); pick a rocksdbjni"
                + " version whose main jar has them (unzip -l), or declare its classifier jars",
            jar)
        .isEmpty();
  }

  /** The jar part of a {@code jar:file:/...!/entry} URL, or the whole URL for a directory. */
  private static String jarOf(URL resource) {
    String url = resource.toString();
    int separator = url.indexOf("!/");
    return separator < 0 ? url : url.substring(0, separator);
  }
}
