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
 *       Weir application instances in crash tests.
 * </ul>
 *
 * <p>Unless a method says otherwise, parameters must not be null and no method returns null.
 */
package dev.weir.testkit;
