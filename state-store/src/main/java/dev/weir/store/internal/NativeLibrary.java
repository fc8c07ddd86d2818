package dev.weir.store.internal;

import dev.weir.store.StateStoreException;
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
              + "; put the org.rocksdb:rocksdbjni jar with this platform's classifier (linux64,"
              + " osx or win64) on the class path, or use the in-memory state backend",
          e);
    }
    loaded = true;
  }
}
