package dev.weir.it;

import dev.weir.store.RocksDbOptionsSetter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * A {@code rocksdb.config.setter} that records every call, with an option value Weir sets before it
 * (so the record shows it runs after Weir's defaults), and changes one option.
 */
public final class RecordingOptionsSetter implements RocksDbOptionsSetter {
  /** Every call of every instance, in order. */
  static final List<String> CALLS = new CopyOnWriteArrayList<>();

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
    options.setMaxWriteBufferNumber(4);
  }

  @Override
  public void close(String taskId) {
    CALLS.add("close " + taskId);
  }
}
