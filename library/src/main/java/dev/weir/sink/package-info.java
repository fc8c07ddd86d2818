/**
 * Exactly-once sinks into systems other than Kafka: the {@link dev.weir.sink.TwoPhaseCommitSink}
 * service-provider interface, whose transactions the runtime drives from the task commit with the
 * Kafka transaction as the decision record (design record 011), and the reference sinks built on it
 * ({@code dev.weir.sink.file}).
 */
package dev.weir.sink;
