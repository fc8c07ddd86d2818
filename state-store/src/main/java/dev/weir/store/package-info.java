/**
 * Weir's state-store SPI: byte-level keyed stores and the machinery that makes them exactly-once.
 *
 * <ul>
 *   <li>{@link dev.weir.store.KeyValueStore}: an ordered byte map, the one storage abstraction.
 *   <li>{@link dev.weir.store.TaskStateStore}: all stores of one task plus their changelog offsets,
 *       changed atomically; opened by a {@link dev.weir.store.StateBackend} from {@link
 *       dev.weir.store.StateBackends} (RocksDB or in-memory).
 *   <li>{@link dev.weir.store.TransactionalTaskState}: the uncommitted write buffer that is applied
 *       to the task state only after the Kafka transaction commits.
 *   <li>{@link dev.weir.store.ChangelogFormat} and {@link dev.weir.store.ChangelogRestorer}: the
 *       versioned changelog value format and the restore from changelog topics.
 * </ul>
 *
 * <p>Everything here is single-threaded per task unless a type says otherwise. This module knows
 * nothing of the DataStream API; the {@code weir} library builds typed state on top of it.
 * Implementations live in {@code dev.weir.store.internal}, which is not an API.
 */
package dev.weir.store;
