package dev.weir.query;

import dev.weir.stream.KeyValue;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads one keyed state of this instance's tasks, from any thread. Obtained from {@code
 * WeirApplication.query(StateQuery)}; each call reads the state as it is then.
 *
 * <p><b>Isolation: read committed.</b> A query sees a task's state as of the task's last commit:
 * under exactly-once, the last Kafka transaction of the task that committed (the state its
 * changelog holds); under at-least-once, the last commit of its offsets. Writes the task made since
 * (its open transaction) are never visible, so a query never returns a value that a failure could
 * still roll back, and lags processing by at most one commit interval ({@code commit.interval.ms}).
 * Each call reads each task's state in one piece (no commit of that task lands in the middle of
 * it); a scan over several partitions may see them at different commits.
 *
 * <p><b>Which keys.</b> {@link #get} reads the task that holds the key's partition and fails with a
 * {@link StateQueryException} naming the reason when this instance does not run it ({@link
 * StateQueryException.Reason#NOT_HOSTED}), restores it ({@link
 * StateQueryException.Reason#RESTORING}) or the group is rebalancing ({@link
 * StateQueryException.Reason#REBALANCING}). Scans ({@link #range}, {@link #prefixScan}, {@link
 * #all}) cover only the partitions this instance runs: for the whole state, ask every instance;
 * they fail if one of those partitions is restoring. Results are ordered by the keys' serialised
 * bytes (unsigned), which for strings in UTF-8 is their natural order.
 *
 * <p><b>Threading.</b> Thread-safe; reads run on the caller's thread concurrently with processing.
 * A read holds off the task's next commit while it runs, so keep scans small (a scan reads every
 * entry of the state in the task and filters: its cost grows with the state, not the result).
 *
 * <p><b>Nullness.</b> Keys and bounds are not null unless a parameter says otherwise.
 *
 * @param <K> key type
 * @param <V> what a key's state reads as
 */
public interface ReadOnlyKeyedState<K, V> {
  /**
   * Reads one key.
   *
   * @param key the key
   * @return its value, or null when it has none
   * @throws StateQueryException when this instance cannot answer for the key now
   */
  V get(K key);

  /**
   * Reads the keys in {@code [from, to)} by serialised bytes, on the partitions run here.
   *
   * @param from the lowest key, inclusive; null for no lower bound
   * @param to the key above the range, exclusive; null for no upper bound
   * @return the keys and values, ascending by key bytes; a new list
   * @throws StateQueryException when a partition of the state run here is restoring, or the
   *     application is not running
   */
  List<KeyValue<K, V>> range(K from, K to);

  /**
   * Reads the keys whose serialised bytes start with the serialised {@code prefix}, on the
   * partitions run here. For string keys: {@code prefixScan("user-", new StringSerializer())}.
   *
   * @param prefix the prefix
   * @param prefixSerializer serialises the prefix as the key serde serialises keys
   * @param <P> prefix type
   * @return the keys and values, ascending by key bytes; a new list
   * @throws StateQueryException when a partition of the state run here is restoring, or the
   *     application is not running
   */
  <P> List<KeyValue<K, V>> prefixScan(P prefix, Serializer<? super P> prefixSerializer);

  /**
   * Reads every key on the partitions run here.
   *
   * @return the keys and values, ascending by key bytes; a new list
   * @throws StateQueryException when a partition of the state run here is restoring, or the
   *     application is not running
   */
  List<KeyValue<K, V>> all();
}
