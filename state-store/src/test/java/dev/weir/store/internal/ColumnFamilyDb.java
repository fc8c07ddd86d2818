package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.TestBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A plain RocksDB instance with the {@code default} column family and {@code extra} more, created
 * in order so their ids are 0, 1, ..., {@code extra}: enough of them gives ids of two varint bytes.
 */
final class ColumnFamilyDb implements AutoCloseable {
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions writeOptions;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final RocksDB db;

  ColumnFamilyDb(Path directory, int extra) throws RocksDBException {
    NativeLibrary.ensureLoaded();
    writeOptions = new WriteOptions();
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (int i = 1; i <= extra; i++) {
      descriptors.add(
          new ColumnFamilyDescriptor(("cf-" + i).getBytes(StandardCharsets.UTF_8), cfOptions));
    }
    db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
    for (int i = 0; i < handles.size(); i++) {
      assertThat(handles.get(i).getID()).as("id of column family %d", i).isEqualTo(i);
    }
  }

  /** Returns the handle of the column family with this id. */
  ColumnFamilyHandle handle(int id) {
    return handles.get(id);
  }

  int columnFamilies() {
    return handles.size();
  }

  void write(WriteBatch batch) throws RocksDBException {
    db.write(writeOptions, batch);
  }

  /** Every column family's entries, key to value in hex, in key order; empty ones left out. */
  Map<Integer, Map<String, String>> contents() throws RocksDBException {
    Map<Integer, Map<String, String>> all = new LinkedHashMap<>();
    for (ColumnFamilyHandle handle : handles) {
      Map<String, String> entries = new LinkedHashMap<>();
      try (RocksIterator iterator = db.newIterator(handle)) {
        for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
          entries.put(TestBytes.hex(iterator.key()), TestBytes.hex(iterator.value()));
        }
        iterator.status();
      }
      if (!entries.isEmpty()) {
        all.put(handle.getID(), entries);
      }
    }
    return all;
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writeOptions.close();
    dbOptions.close();
    cfOptions.close();
  }
}
