package dev.weir.it;

import dev.weir.store.RocksDbOptionsSetter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * A {@code rocksdb.config.setter} that records every call, with an option value Weir sets before it
 * (so the record shows it runs after Weir's defaults), and changes that option to {@link
 * #MAX_WRITE_BUFFER_NUMBER}, which differs from Weir's default (so the store's persisted options
 * show whose value won).
 */
public final class RecordingOptionsSetter implements RocksDbOptionsSetter {
  /** Every call of every instance, in order. */
  static final List<String> CALLS = new CopyOnWriteArrayList<>();

  /** The value this setter gives every store; Weir's default is 4. */
  static final int MAX_WRITE_BUFFER_NUMBER = 2;

  /** Creates the setter, as Weir does by reflection. */
  public RecordingOptionsSetter() {}

  @Override
  public void setDbOptions(String taskId, DBOptions options) {
    CALLS.add("db " + taskId + " atomicFlush=" + options.atomicFlush());
  }

  @Override
  public void setColumnFamilyOptions(String taskId, String storeName, ColumnFamilyOptions options) {
    CALLS.add(
        "store "
            + taskId
            + " "
            + storeName
            + " maxWriteBufferNumber="
            + options.maxWriteBufferNumber());
    options.setMaxWriteBufferNumber(MAX_WRITE_BUFFER_NUMBER);
  }

  @Override
  public void close(String taskId) {
    CALLS.add("close " + taskId);
  }
}
