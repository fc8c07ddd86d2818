/**
 * Keyed and operator state: the {@link dev.weir.state.State} primitives a function reads and writes
 * through its {@link dev.weir.functions.RuntimeContext}, the descriptors that declare them, and
 * {@link dev.weir.state.StateTtlConfig} for expiry.
 *
 * <p>Keyed state is scoped to the key of the record (or timer) being processed: a function on a
 * {@link dev.weir.stream.KeyedStream} sees only the state of the current key. State lives in the
 * task's store (RocksDB by default), is written to a compacted changelog topic inside the same
 * Kafka transaction as the task's output, and is restored from that changelog when a task moves or
 * an instance restarts. See {@code docs/state.md}.
 *
 * <p>Obtain state handles in {@code open()}: a handle holds no data, so keeping it in a field is
 * cheap, and descriptors (which hold serdes) need not be serialisable.
 */
package dev.weir.state;
