/**
 * Optional formats for Weir applications (artifact {@code weir-serde}): Avro serdes in the
 * Confluent wire format with a schema registry client ({@link dev.weir.serde.avro}, {@link
 * dev.weir.serde.registry}) and JSON serdes on Jackson ({@link dev.weir.serde.json}).
 *
 * <p>Everything here is a plain Kafka {@link org.apache.kafka.common.serialization.Serde}: it works
 * in Weir (which calls {@code configure(configs, isKey)} with the application's configuration) and
 * in any Kafka producer or consumer.
 */
package dev.weir.serde;
