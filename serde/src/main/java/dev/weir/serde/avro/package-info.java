/**
 * Avro serdes in the Confluent wire format: {@link dev.weir.serde.avro.SpecificAvroSerde}, {@link
 * dev.weir.serde.avro.GenericAvroSerde}, {@link dev.weir.serde.avro.ReflectAvroSerde}; subject
 * naming ({@link dev.weir.serde.avro.SubjectNameStrategy}); the state schema check ({@link
 * dev.weir.serde.avro.StateSchemaCheck}).
 */
package dev.weir.serde.avro;
