package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;

class LargeWriteBuffersTest {

  @Test
  void setsEveryStoresWriteBuffer() {
    RocksDB.loadLibrary();
    try (ColumnFamilyOptions options = new ColumnFamilyOptions().setWriteBufferSize(16L << 20)) {
      new LargeWriteBuffers(256).setColumnFamilyOptions("0_1", "windows", options);
      assertThat(options.writeBufferSize()).isEqualTo(256L << 20);
    }
  }

  @Test
  void sizeFromTheEnvironmentValue() {
    assertThat(LargeWriteBuffers.sizeMib(null)).isEqualTo(64);
    assertThat(LargeWriteBuffers.sizeMib(" ")).isEqualTo(64);
    assertThat(LargeWriteBuffers.sizeMib(" 128 ")).isEqualTo(128);
    assertThatThrownBy(() -> new LargeWriteBuffers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(LargeWriteBuffers.SIZE_ENV);
  }
}
