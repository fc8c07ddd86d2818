package dev.weir.serde.registry;

import java.util.List;
import java.util.Optional;

/**
 * The operations of a Confluent-compatible schema registry that the serdes use. Implementations:
 * {@link SchemaRegistryClient} (the REST API, cached) and {@link InMemorySchemaRegistry} (for
 * tests; what a {@code mock://} URL selects).
 *
 * <p>Implementations are thread-safe. Schemas are Avro schema texts ({@code schemaType} AVRO).
 */
public interface SchemaRegistry {
  /**
   * Registers a schema under a subject, or finds it when it is already there.
   *
   * @param subject the subject
   * @param schema the schema text
   * @return the schema's id
   * @throws SchemaRegistryException when the registry refuses it (409: incompatible, 422: invalid)
   *     or cannot be reached
   */
  int register(String subject, String schema);

  /**
   * Looks a schema up under a subject without registering it.
   *
   * @param subject the subject
   * @param schema the schema text
   * @return the registered version, or empty when the subject or the schema is not there
   * @throws SchemaRegistryException when the registry cannot be reached or fails
   */
  Optional<RegisteredSchema> lookup(String subject, String schema);

  /**
   * Fetches a schema by its id.
   *
   * @param id the id from the wire format
   * @return the schema text
   * @throws SchemaRegistryException when there is no such id (404) or the registry fails
   */
  String schemaById(int id);

  /**
   * Fetches one version of a subject.
   *
   * @param subject the subject
   * @param version the version, or -1 for the latest
   * @return the version, or empty when the subject or version does not exist
   * @throws SchemaRegistryException when the registry cannot be reached or fails
   */
  Optional<RegisteredSchema> version(String subject, int version);

  /**
   * Lists the versions of a subject.
   *
   * @param subject the subject
   * @return the versions, ascending; empty when the subject does not exist
   * @throws SchemaRegistryException when the registry cannot be reached or fails
   */
  List<Integer> versions(String subject);

  /**
   * Asks whether a schema is compatible with a version of a subject under the subject's
   * compatibility level.
   *
   * @param subject the subject
   * @param schema the candidate schema text
   * @param version the version to check against, or -1 for the latest
   * @return the result; compatible when the subject does not exist yet
   * @throws SchemaRegistryException when the registry cannot be reached or fails
   */
  CompatibilityResult testCompatibility(String subject, String schema, int version);
}
