package dev.weir.serde.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry held in memory, for tests: what the URL {@code mock://SCOPE} selects. Ids are
 * shared across subjects (the same schema text gets the same id, as in the real registry), and
 * registering checks backward compatibility with the subject's latest version (the registry's
 * default level). Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Integer, String> schemas = new HashMap<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();

  /** Creates an empty registry. */
  public InMemorySchemaRegistry() {}

  /**
   * Returns the registry of a scope, creating it on first use.
   *
   * @param scope the name after {@code mock://}
   * @return the scope's registry, shared JVM-wide
   */
  public static InMemorySchemaRegistry scope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
  }

  /**
   * Forgets a scope (for test isolation).
   *
   * @param scope the name after {@code mock://}
   */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, String schema) {
    List<Integer> versions = subjects.getOrDefault(subject, List.of());
    Integer known = ids.get(schema);
    if (known != null && versions.contains(known)) {
      return known;
    }
    if (!versions.isEmpty()) {
      CompatibilityResult c = testCompatibility(subject, schema, -1);
      if (!c.compatible()) {
        throw new SchemaRegistryException(
            "Schema being registered is incompatible with an earlier schema for subject '"
                + subject
                + "': "
                + c.messages(),
            409,
            409,
            null);
      }
    }
    int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
    schemas.put(id, schema);
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  @Override
  public synchronized Optional<RegisteredSchema> lookup(String subject, String schema) {
    List<Integer> versions = subjects.getOrDefault(subject, List.of());
    Integer id = ids.get(schema);
    int i = id == null ? -1 : versions.indexOf(id);
    return i < 0 ? Optional.empty() : Optional.of(new RegisteredSchema(subject, id, i + 1, schema));
  }

  @Override
  public synchronized String schemaById(int id) {
    String s = schemas.get(id);
    if (s == null) {
      throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403, null);
    }
    return s;
  }

  @Override
  public synchronized Optional<RegisteredSchema> version(String subject, int version) {
    List<Integer> versions = subjects.getOrDefault(subject, List.of());
    int v = version < 0 ? versions.size() : version;
    if (v < 1 || v > versions.size()) {
      return Optional.empty();
    }
    int id = versions.get(v - 1);
    return Optional.of(new RegisteredSchema(subject, id, v, schemas.get(id)));
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= subjects.getOrDefault(subject, List.of()).size(); i++) {
      out.add(i);
    }
    return out;
  }

  @Override
  public synchronized CompatibilityResult testCompatibility(
      String subject, String schema, int version) {
    Optional<RegisteredSchema> against = version(subject, version);
    if (against.isEmpty()) {
      return new CompatibilityResult(true, List.of());
    }
    Schema reader = new Schema.Parser().parse(schema);
    Schema writer = new Schema.Parser().parse(against.get().schema());
    SchemaCompatibility.SchemaPairCompatibility c =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    List<String> messages = new ArrayList<>();
    c.getResult().getIncompatibilities().forEach(i -> messages.add(i.toString()));
    return new CompatibilityResult(
        c.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, messages);
  }
}
