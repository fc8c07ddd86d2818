/**
 * Tests without a broker: {@link dev.weir.testing.WeirTestDriver} runs a topology on the calling
 * thread with in-memory topics and a manual processing-time clock, through the same task and
 * operator code as production. {@link dev.weir.testing.TestInputTopic} pipes records in; {@link
 * dev.weir.testing.TestOutputTopic} reads what the topology wrote.
 *
 * <p>For tests against a real Kafka cluster, and for Kafka clients that fail on purpose, use the
 * {@code weir-testkit} artifact ({@code dev.weir.testkit}).
 *
 * <p>Unless a method says otherwise, parameters must not be null and no method returns null.
 */
package dev.weir.testing;
