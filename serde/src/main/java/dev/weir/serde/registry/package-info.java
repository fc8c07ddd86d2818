/**
 * A client of the Confluent schema registry REST API ({@link
 * dev.weir.serde.registry.SchemaRegistryClient}) and an in-memory registry for tests ({@link
 * dev.weir.serde.registry.InMemorySchemaRegistry}).
 */
package dev.weir.serde.registry;
