package dev.weir.internal.task;

import dev.weir.state.State;
import dev.weir.state.StateDescriptor;
import dev.weir.state.StateTtlConfig;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Base of the state handles: one state (one descriptor) of one operator in one task. Knows how to
 * find the current key's entries and applies the TTL rules on every read and write.
 *
 * @param <T> the stored value type
 */
abstract class StateHandle<T> implements State {
  final OperatorStates owner;
  final KeyValueStore store;
  final StateDescriptor<T> descriptor;
  final byte[] prefix;
  final boolean keyed;
  final boolean namespaced;
  final Serializer<T> serializer;
  final Deserializer<T> deserializer;

  /** The topic name this state's serdes are called with (see {@link StateSerdes#topic}). */
  final String serdeTopic;

  final boolean ttl;
  final long ttlMs;
  final boolean refreshOnRead;
  final boolean returnExpired;
  private byte[] cleanupCursor;

  // The last key prefix and what it was built from (compared by identity: a record's key bytes and
  // its window's bytes are one array each while it is processed), so the several state accesses
  // of one record build it once. Callers never modify the returned array.
  private byte[] prefixKey;
  private byte[] prefixNamespace;
  private byte[] prefixBuilt;

  StateHandle(OperatorStates owner, StateDescriptor<T> descriptor, boolean keyed) {
    this(
        owner,
        descriptor,
        keyed,
        StateFormat.statePrefix(
            keyed ? StateFormat.SCOPE_KEYED : StateFormat.SCOPE_OPERATOR, descriptor.name()),
        false);
  }

  /**
   * A handle whose entries are also scoped to the operator's current namespace (a window): key
   * {@code ['n'][name][keyLength][key][namespaceLength][namespace]...}.
   */
  StateHandle(
      OperatorStates owner,
      StateDescriptor<T> descriptor,
      boolean keyed,
      byte[] prefix,
      boolean namespaced) {
    this.owner = owner;
    this.store = owner.store();
    this.descriptor = descriptor;
    this.keyed = keyed;
    this.namespaced = namespaced;
    this.prefix = prefix;
    this.serializer = descriptor.serde().serializer();
    this.deserializer = descriptor.serde().deserializer();
    this.serdeTopic = owner.serdeTopic(descriptor);
    StateTtlConfig c = descriptor.ttlConfig();
    this.ttl = c.isEnabled();
    this.ttlMs = c.ttl().toMillis();
    this.refreshOnRead = c.updateType() == StateTtlConfig.UpdateType.ON_READ_AND_WRITE;
    this.returnExpired =
        c.stateVisibility() == StateTtlConfig.StateVisibility.RETURN_EXPIRED_IF_NOT_CLEANED_UP;
  }

  /** Every entry of the current key (and namespace) starts with this. */
  final byte[] currentKeyPrefix() {
    byte[] key = keyed ? owner.currentKey(descriptor) : NO_KEY;
    byte[] ns = namespaced ? owner.namespace() : null;
    if (prefixBuilt != null && key == prefixKey && ns == prefixNamespace) {
      return prefixBuilt;
    }
    prefixBuilt =
        namespaced ? StateFormat.keyPrefix(prefix, key, ns) : StateFormat.keyPrefix(prefix, key);
    prefixKey = key;
    prefixNamespace = ns;
    return prefixBuilt;
  }

  private static final byte[] NO_KEY = new byte[0];

  /**
   * Merges this state's values of the namespaces {@code sources} into {@code target} (for merging
   * windows) and removes the sources; the target's own value is kept and merged too.
   */
  void mergeNamespaces(java.util.Collection<byte[]> sources, byte[] target) throws Exception {
    throw new UnsupportedOperationException(descriptor + " cannot be merged");
  }

  final byte[] serialize(T value) {
    return serializer.serialize(serdeTopic, value);
  }

  final T deserialize(byte[] bytes) {
    return deserializer.deserialize(serdeTopic, bytes);
  }

  final long now() {
    return owner.now();
  }

  final boolean expired(long timestamp, long now) {
    return timestamp != Long.MIN_VALUE && timestamp + ttlMs <= now;
  }

  /** Encodes a payload, stamped with the current time when TTL is on. */
  final byte[] encode(byte[] payload) {
    return ttl ? StateFormat.valueWithTimestamp(payload, now()) : StateFormat.value(payload);
  }

  /**
   * Reads the payload at {@code key} under the TTL rules: an expired entry reads as absent (and is
   * deleted) unless expired reads are allowed; a read refreshes the clock with OnReadAndWrite.
   */
  final byte[] readPayload(byte[] key) {
    byte[] v = store.get(key);
    if (v == null) {
      return null;
    }
    byte[] payload = StateFormat.payload(v);
    if (!ttl || !StateFormat.hasTimestamp(v)) {
      return payload;
    }
    long now = now();
    if (expired(StateFormat.timestamp(v), now)) {
      if (returnExpired) {
        return payload;
      }
      store.delete(key);
      return null;
    }
    if (refreshOnRead) {
      store.put(key, StateFormat.valueWithTimestamp(payload, now));
    }
    return payload;
  }

  /**
   * Background TTL cleanup: visits at most {@code budget} of this state's entries after the cursor,
   * removing what expired, and returns how many it visited.
   */
  final int cleanupExpired(int budget, long now) {
    if (!ttl) {
      return 0;
    }
    byte[] from = cleanupCursor == null ? prefix : cleanupCursor;
    int visited = 0;
    List<byte[]> expiredKeys = new ArrayList<>();
    List<byte[][]> rewrites = new ArrayList<>();
    try (KeyValueIterator it = store.range(from, prefixEnd(prefix))) {
      while (it.hasNext() && visited < budget) {
        var e = it.next();
        visited++;
        byte[] rewritten = dropExpired(e.key(), e.value(), now);
        if (rewritten == null) {
          expiredKeys.add(e.key());
        } else if (rewritten != e.value()) {
          rewrites.add(new byte[][] {e.key(), rewritten});
        }
        cleanupCursor = successor(e.key());
      }
      if (!it.hasNext()) {
        cleanupCursor = null;
      }
    }
    expiredKeys.forEach(this::deleteExpired);
    rewrites.forEach(kv -> store.put(kv[0], kv[1]));
    owner.countExpired(expiredKeys.size() + cleanupLists(now));
    return visited;
  }

  /**
   * Called by the TTL cleanup after each round of its scan: batched lists check there the elements
   * they keep inside their batches. Returns how many entries it dropped.
   */
  int cleanupLists(long now) {
    return 0;
  }

  /** Deletes an entry the TTL cleanup found expired; lists delete a whole expired list at once. */
  void deleteExpired(byte[] key) {
    store.delete(key);
  }

  /**
   * Returns the stored value with expired content removed: the same array when nothing expired,
   * null when everything did. Lists override this to tell their headers from their elements.
   */
  byte[] dropExpired(byte[] key, byte[] value, long now) {
    if (StateFormat.hasTimestamp(value) && expired(StateFormat.timestamp(value), now)) {
      return null;
    }
    return value;
  }

  /** Deletes every entry of the current key (map state has several). */
  final void deleteCurrentKeyEntries() {
    byte[] p = currentKeyPrefix();
    List<byte[]> keys = new ArrayList<>();
    try (KeyValueIterator it = store.prefixScan(p)) {
      it.forEachRemaining(e -> keys.add(e.key()));
    }
    keys.forEach(store::delete);
  }

  static byte[] successor(byte[] key) {
    byte[] s = new byte[key.length + 1];
    System.arraycopy(key, 0, s, 0, key.length);
    return s;
  }

  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return java.util.Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }
}
