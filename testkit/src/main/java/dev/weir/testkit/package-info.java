/**
 * Real Kafka for tests, demos and benchmarks, and child JVMs that never outlive their parent.
 *
 * <ul>
 *   <li>{@link dev.weir.testkit.KafkaCluster}: what a test sees of a cluster; {@link
 *       dev.weir.testkit.KafkaClusters#create(int)} starts one of the configured kind;
 *   <li>{@link dev.weir.testkit.EmbeddedKafkaCluster}: one to three KRaft nodes, each a child JVM
 *       on loopback ports, with kill and restart for fault injection;
 *   <li>{@link dev.weir.testkit.WeirKafka}: a JUnit 5 annotation that hands a cluster to a test
 *       class;
 *   <li>{@link dev.weir.testkit.JavaProcess}: runs a main class in a child JVM, for brokers and for
 *       Weir application instances in crash tests;
 *   <li>{@link dev.weir.testkit.faults}: Kafka clients that fail, time out or freeze on chosen
 *       calls.
 * </ul>
 *
 * <p>This module depends on Kafka and the JUnit API only, not on Weir, so every Weir module can use
 * it in its own tests. The deterministic test driver is in the library: {@code dev.weir.testing}.
 *
 * <p>Unless a method says otherwise, parameters must not be null and no method returns null.
 */
package dev.weir.testkit;
