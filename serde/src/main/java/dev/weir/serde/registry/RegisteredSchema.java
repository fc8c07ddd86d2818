package dev.weir.serde.registry;

import java.util.Objects;

/**
 * One version of a schema under a subject, as the registry reports it.
 *
 * @param subject the subject
 * @param id the registry-wide schema id (what the wire format carries)
 * @param version the version within the subject (1, 2, ...)
 * @param schema the schema text
 */
public record RegisteredSchema(String subject, int id, int version, String schema) {
  /**
   * Checks the fields.
   *
   * @param subject the subject; not null
   * @param id the schema id
   * @param version the version
   * @param schema the schema text; not null
   */
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
