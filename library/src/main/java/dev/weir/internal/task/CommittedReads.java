package dev.weir.internal.task;

import dev.weir.state.StateDescriptor;
import dev.weir.state.StateTtlConfig;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads one keyed state of a task's committed store for interactive queries, knowing the layout of
 * {@link StateFormat}: finds a key's entries, or scans all keys of the state, and strips the value
 * header. Runs on the querying thread through {@link TaskState#readCommitted}, so it never sees
 * uncommitted writes and never writes (an expired entry is skipped, not deleted, and a read does
 * not refresh a TTL: the task's thread owns all writes).
 */
public final class CommittedReads {
  /**
   * One entry of a keyed state.
   *
   * @param key the serialised key of the keyed stream
   * @param mapKey the serialised map key of a map state entry; empty for other states
   * @param payload the serialised value, without the format header
   */
  public record Entry(byte[] key, byte[] mapKey, byte[] payload) {}

  private CommittedReads() {}

  /**
   * The entries of one key: none or one for a value, reducing or aggregating state, one per map key
   * (ascending by its bytes) for a map state.
   *
   * @param state the task's state
   * @param store the operator's store
   * @param descriptor the state
   * @param key the serialised key
   * @param now the processing time TTL is judged by
   * @return the live entries; never null
   * @throws IllegalStateException when the task state is closed
   */
  public static List<Entry> ofKey(
      TaskState state, String store, StateDescriptor<?> descriptor, byte[] key, long now) {
    byte[] prefix = statePrefix(descriptor);
    byte[] keyPrefix = StateFormat.keyPrefix(prefix, key);
    return state.readCommitted(
        store, s -> collect(s.prefixScan(keyPrefix), prefix, descriptor, now, k -> true));
  }

  /**
   * The entries of every key of one state in the task whose key bytes pass {@code keys}, in store
   * order (by key length, then key bytes).
   *
   * @param state the task's state
   * @param store the operator's store
   * @param descriptor the state
   * @param keys which serialised keys to keep
   * @param now the processing time TTL is judged by
   * @return the live entries; never null
   * @throws IllegalStateException when the task state is closed
   */
  public static List<Entry> scan(
      TaskState state,
      String store,
      StateDescriptor<?> descriptor,
      Predicate<byte[]> keys,
      long now) {
    byte[] prefix = statePrefix(descriptor);
    return state.readCommitted(
        store, s -> collect(s.prefixScan(prefix), prefix, descriptor, now, keys));
  }

  private static byte[] statePrefix(StateDescriptor<?> descriptor) {
    return StateFormat.statePrefix(StateFormat.SCOPE_KEYED, descriptor.name());
  }

  private static List<Entry> collect(
      KeyValueIterator it,
      byte[] prefix,
      StateDescriptor<?> descriptor,
      long now,
      Predicate<byte[]> keys) {
    StateTtlConfig ttl = descriptor.ttlConfig();
    boolean hideExpired =
        ttl.isEnabled()
            && ttl.stateVisibility()
                != StateTtlConfig.StateVisibility.RETURN_EXPIRED_IF_NOT_CLEANED_UP;
    List<Entry> out = new ArrayList<>();
    try (it) {
      while (it.hasNext()) {
        KeyValueEntry e = it.next();
        byte[] k = e.key();
        int length = ByteBuffer.wrap(k, prefix.length, 4).getInt();
        int from = prefix.length + 4;
        byte[] key = Arrays.copyOfRange(k, from, from + length);
        if (!keys.test(key)) {
          continue;
        }
        byte[] v = e.value();
        if (hideExpired
            && StateFormat.hasTimestamp(v)
            && StateFormat.timestamp(v) + ttl.ttl().toMillis() <= now) {
          continue;
        }
        out.add(
            new Entry(key, Arrays.copyOfRange(k, from + length, k.length), StateFormat.payload(v)));
      }
    }
    return out;
  }
}
