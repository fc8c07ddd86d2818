package dev.weir.store.internal;

import dev.weir.store.StateStoreException;
import java.security.CodeSource;
import org.rocksdb.RocksDB;

/** Loads the RocksDB native library once per class loader. */
final class NativeLibrary {
  private static boolean loaded;

  private NativeLibrary() {}

  static synchronized void ensureLoaded() {
    if (loaded) {
      return;
    }
    try {
      RocksDB.loadLibrary();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new StateStoreException(
          "Could not load the RocksDB native library for "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + " from the org.rocksdb:rocksdbjni jar on the class path ("
              + rocksDbJar()
              + "). Weir's rocksdbjni carries natives for Linux (glibc and musl) and macOS on x86_64"
              + " and arm64, and Windows on x86_64: check that no other dependency or BOM replaces"
              + " its version (mvn dependency:tree -Dincludes=org.rocksdb), or use the in-memory"
              + " state backend",
          e);
    }
    loaded = true;
  }

  private static String rocksDbJar() {
    CodeSource source = RocksDB.class.getProtectionDomain().getCodeSource();
    return source == null ? "unknown location" : String.valueOf(source.getLocation());
  }
}
