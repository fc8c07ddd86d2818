package dev.weir.store.internal;

import dev.weir.store.KeyValueEntry;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A range iterator over one column family. It reads an implicit snapshot taken at creation (a valid
 * form of the SPI's weak consistency). The upper bound is pushed into RocksDB so it stops at the
 * bound instead of skipping tombstones beyond it. Native objects are freed in the order iterator,
 * read options, bound slice.
 */
final class RocksDbIterator extends LookaheadIterator {
  private final RocksDbTaskStateStore owner;
  private final Slice upperBound;
  private final ReadOptions readOptions;
  private final RocksIterator iterator;
  private final boolean empty;
  private boolean started;

  RocksDbIterator(RocksDbTaskStateStore owner, ColumnFamilyHandle handle, byte[] from, byte[] to) {
    this.owner = owner;
    this.readOptions = new ReadOptions();
    this.upperBound = to == null ? null : new Slice(to);
    if (upperBound != null) {
      readOptions.setIterateUpperBound(upperBound);
    }
    this.iterator = owner.db().newIterator(handle, readOptions);
    this.empty = ByteKeys.isEmptyRange(from, to);
    if (empty) {
      return;
    }
    if (from == null) {
      iterator.seekToFirst();
    } else {
      iterator.seek(from);
    }
  }

  @Override
  KeyValueEntry fetch() {
    owner.ensureOpen();
    if (empty) {
      return null;
    }
    // Never called again once it returned null, so next() only runs on a valid iterator.
    if (started) {
      iterator.next();
    } else {
      started = true;
    }
    if (!iterator.isValid()) {
      try {
        iterator.status();
      } catch (RocksDBException e) {
        throw owner.failure("iterate", e);
      }
      return null;
    }
    return KeyValueEntry.of(iterator.key(), iterator.value());
  }

  @Override
  void release() {
    iterator.close();
    readOptions.close();
    if (upperBound != null) {
      upperBound.close();
    }
    owner.iteratorClosed(this);
  }
}
