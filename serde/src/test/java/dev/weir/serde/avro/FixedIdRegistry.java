package dev.weir.serde.avro;

import dev.weir.serde.registry.CompatibilityResult;
import dev.weir.serde.registry.RegisteredSchema;
import dev.weir.serde.registry.SchemaRegistry;
import java.util.List;
import java.util.Optional;

/** A registry that gives every schema one fixed id, for byte-exact tests. */
final class FixedIdRegistry implements SchemaRegistry {
  private final int id;
  private String schema;

  FixedIdRegistry(int id) {
    this.id = id;
  }

  @Override
  public int register(String subject, String s) {
    schema = s;
    return id;
  }

  @Override
  public Optional<RegisteredSchema> lookup(String subject, String s) {
    return Optional.of(new RegisteredSchema(subject, id, 1, s));
  }

  @Override
  public String schemaById(int i) {
    if (i != id) {
      throw new IllegalArgumentException("unknown id " + i);
    }
    return schema;
  }

  @Override
  public Optional<RegisteredSchema> version(String subject, int version) {
    return Optional.empty();
  }

  @Override
  public List<Integer> versions(String subject) {
    return List.of();
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, String s, int version) {
    return new CompatibilityResult(true, List.of());
  }
}
