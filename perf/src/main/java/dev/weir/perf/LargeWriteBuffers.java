package dev.weir.perf;

import dev.weir.store.RocksDbOptionsSetter;
import org.rocksdb.ColumnFamilyOptions;

/**
 * A {@code rocksdb.config.setter} for experiments: every store's write buffer at {@value #SIZE_ENV}
 * MiB (64 when unset) instead of Weir's 16 MiB. Set with {@code
 * PERF_WEIR_CONFIG='rocksdb.config.setter=dev.weir.perf.LargeWriteBuffers'}.
 */
public final class LargeWriteBuffers implements RocksDbOptionsSetter {
  /** The environment variable with the write buffer's size in MiB. */
  static final String SIZE_ENV = "PERF_WRITE_BUFFER_MB";

  private final long bytes;

  /** Reads the size from {@link #SIZE_ENV}; Weir creates the setter with this constructor. */
  public LargeWriteBuffers() {
    this(sizeMib(System.getenv(SIZE_ENV)));
  }

  LargeWriteBuffers(long mib) {
    if (mib <= 0) {
      throw new IllegalArgumentException(SIZE_ENV + " must be a positive number of MiB: " + mib);
    }
    this.bytes = mib << 20;
  }

  /** The size in MiB that {@code value} of {@link #SIZE_ENV} names; 64 when null or blank. */
  static long sizeMib(String value) {
    return value == null || value.isBlank() ? 64 : Long.parseLong(value.trim());
  }

  @Override
  public void setColumnFamilyOptions(String taskId, String storeName, ColumnFamilyOptions options) {
    options.setWriteBufferSize(bytes);
  }
}
