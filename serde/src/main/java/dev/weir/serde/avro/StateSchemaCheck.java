package dev.weir.serde.avro;

import dev.weir.serde.registry.RegisteredSchema;
import dev.weir.serde.registry.SchemaRegistry;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.kafka.common.config.ConfigException;

/**
 * The start-time check of a state's Avro schema: the schema the application now reads with must be
 * able to read every schema version already stored under the state's subject (Avro's resolution
 * rules: a new field needs a default, a removed field is skipped, types may only widen). State
 * written with any earlier version is then read with that writer's schema resolved to the new one.
 * Stateless.
 */
public final class StateSchemaCheck {
  private StateSchemaCheck() {}

  /**
   * Why a reader schema cannot read a writer schema.
   *
   * @param kind Avro's name of the problem, e.g. {@code READER_FIELD_MISSING_DEFAULT_VALUE}
   * @param location where, as a JSON pointer into the reader schema
   * @param message Avro's explanation
   */
  public record Incompatibility(String kind, String location, String message) {
    @Override
    public String toString() {
      return kind + " at " + location + ": " + message;
    }
  }

  /**
   * Checks a state's schema against what is registered for it, then registers it.
   *
   * @param registry the registry
   * @param subject the state's subject
   * @param reader the schema the application now reads and writes the state with
   * @param what the state and its operator, for the error
   * @throws ConfigException naming the state, the stored version and the change when the new schema
   *     cannot read a stored one
   */
  public static void check(SchemaRegistry registry, String subject, Schema reader, String what) {
    List<Integer> versions = registry.versions(subject);
    for (int v : versions) {
      RegisteredSchema stored =
          registry
              .version(subject, v)
              .orElseThrow(() -> new IllegalStateException(subject + " lost version " + v));
      Schema writer = new Schema.Parser().parse(stored.schema());
      Incompatibility why = incompatibility(reader, writer);
      if (why != null) {
        throw new ConfigException(
            "The schema of "
                + what
                + " changed incompatibly: "
                + reader.getFullName()
                + " as now declared cannot read the state stored with version "
                + v
                + " (schema id "
                + stored.id()
                + ") of subject '"
                + subject
                + "': "
                + why
                + ". Give a new field a default, keep removed fields' types, or give the state a"
                + " new name to start it empty");
      }
    }
    registry.register(subject, reader.toString());
  }

  /**
   * Returns why {@code reader} cannot read data written with {@code writer}.
   *
   * @param reader the reading schema
   * @param writer the writing schema
   * @return the first incompatibility, or null when compatible
   */
  public static Incompatibility incompatibility(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility c =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (c.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return null;
    }
    SchemaCompatibility.Incompatibility first = c.getResult().getIncompatibilities().get(0);
    return new Incompatibility(first.getType().name(), first.getLocation(), first.getMessage());
  }
}
