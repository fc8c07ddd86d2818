package dev.weir.store.internal;

import dev.weir.store.StateStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open RocksDB instance with its column family handles and the options objects it was opened
 * with, which must outlive it. {@link #close} releases them in the order RocksDB requires: handles,
 * then the database, then options.
 */
final class RocksDbInstance {
  private static final Logger LOG = LoggerFactory.getLogger(RocksDbInstance.class);

  private final String taskId;
  private final RocksDbTuning tuning;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> columnFamilyOptions;
  private final List<ColumnFamilyHandle> allHandles;
  private final Map<String, ColumnFamilyHandle> storeHandles = new TreeMap<>();
  private final Map<String, ColumnFamilyOptions> storeOptions = new TreeMap<>();

  private RocksDbInstance(
      String taskId,
      RocksDbTuning tuning,
      RocksDB db,
      DBOptions dbOptions,
      List<ColumnFamilyOptions> columnFamilyOptions,
      List<String> storeNames,
      List<ColumnFamilyHandle> handles) {
    this.taskId = taskId;
    this.tuning = tuning;
    this.db = db;
    this.dbOptions = dbOptions;
    this.columnFamilyOptions = columnFamilyOptions;
    this.allHandles = List.copyOf(handles);
    for (int i = 0; i < storeNames.size(); i++) {
      storeHandles.put(storeNames.get(i), handles.get(i + 1));
      storeOptions.put(storeNames.get(i), columnFamilyOptions.get(i + 1));
    }
  }

  /**
   * Opens or creates the instance in {@code directory}: every column family already there is
   * reopened (RocksDB requires it), and requested stores that are missing are created.
   */
  static RocksDbInstance open(
      String taskId, Path directory, Set<String> requested, RocksDbTuning tuning) {
    Set<String> names = new TreeSet<>(requested);
    names.addAll(existingStores(taskId, directory));
    List<String> storeNames = new ArrayList<>(names);
    List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    DBOptions dbOptions = null;
    try {
      dbOptions = tuning.dbOptions(taskId);
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      ColumnFamilyOptions metadata = tuning.metadataOptions();
      cfOptions.add(metadata);
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metadata));
      for (String name : storeNames) {
        ColumnFamilyOptions options = tuning.storeOptions(taskId, name);
        cfOptions.add(options);
        descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options));
      }
      RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
      return new RocksDbInstance(taskId, tuning, db, dbOptions, cfOptions, storeNames, handles);
    } catch (RocksDBException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      cfOptions.forEach(ColumnFamilyOptions::close);
      if (dbOptions != null) {
        dbOptions.close();
      }
      tuning.taskClosed(taskId);
      if (e instanceof RocksDBException) {
        throw new StateStoreException(openFailure(taskId, directory, e), e);
      }
      throw (RuntimeException) e;
    }
  }

  private static Set<String> existingStores(String taskId, Path directory) {
    Set<String> names = new TreeSet<>();
    try {
      Files.createDirectories(directory);
      if (!Files.exists(directory.resolve("CURRENT"))) {
        return names;
      }
      try (Options options = new Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(options, directory.toString())) {
          names.add(new String(name, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException | RocksDBException e) {
      throw new StateStoreException(openFailure(taskId, directory, e), e);
    }
    names.remove(Names.METADATA_COLUMN_FAMILY);
    return names;
  }

  private static String openFailure(String taskId, Path directory, Exception e) {
    String message = "Could not open the RocksDB state of task " + taskId + " in " + directory;
    String cause = String.valueOf(e.getMessage());
    if (cause.contains("lock")) {
      message += "; another process (or another backend in this one) is using that directory";
    }
    return message;
  }

  /** Reads the committed changelog offsets from the metadata column family. */
  Map<String, Long> readOffsets(String where) {
    Map<String, Long> offsets = new TreeMap<>();
    try (RocksIterator iterator = db.newIterator(metadataHandle())) {
      for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
        if (MetadataFormat.isLayoutKey(iterator.key())) {
          continue; // not an offset (design record 039)
        }
        String partition = MetadataFormat.decodeOffsetKey(iterator.key(), where);
        offsets.put(partition, MetadataFormat.decodeOffsetValue(iterator.value(), where));
      }
      iterator.status();
    } catch (RocksDBException e) {
      throw new StateStoreException(where + ": failed to read changelog offsets", e);
    }
    return offsets;
  }

  /**
   * Notes in the metadata that the stores hold some batch records whole (design record 039), if not
   * noted yet, so that a release that predates that layout refuses the state.
   */
  void noteBatchesWhole(String where) {
    try {
      if (db.get(metadataHandle(), MetadataFormat.BATCHES_WHOLE_KEY) == null) {
        db.put(metadataHandle(), MetadataFormat.BATCHES_WHOLE_KEY, MetadataFormat.LAYOUT_VALUE);
      }
    } catch (RocksDBException e) {
      throw new StateStoreException(where + ": failed to note the state's layout", e);
    }
  }

  RocksDB db() {
    return db;
  }

  ColumnFamilyHandle metadataHandle() {
    return allHandles.get(0);
  }

  List<ColumnFamilyHandle> allHandles() {
    return allHandles;
  }

  DBOptions dbOptions() {
    return dbOptions;
  }

  /** The options a store's column family was opened with (after the user's hook). */
  ColumnFamilyOptions storeOptions(String storeName) {
    return storeOptions.get(storeName);
  }

  Map<String, ColumnFamilyHandle> storeHandles() {
    return Collections.unmodifiableMap(storeHandles);
  }

  void close(String where) {
    allHandles.forEach(ColumnFamilyHandle::close);
    try {
      db.closeE();
    } catch (RocksDBException e) {
      LOG.warn("{}: closing RocksDB reported an error", where, e);
    }
    dbOptions.close();
    columnFamilyOptions.forEach(ColumnFamilyOptions::close);
    tuning.taskClosed(taskId);
  }
}
