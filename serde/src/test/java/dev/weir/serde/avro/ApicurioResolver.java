package dev.weir.serde.avro;

import dev.weir.serde.registry.InMemorySchemaRegistry;
import io.apicurio.registry.resolver.ParsedSchema;
import io.apicurio.registry.resolver.ParsedSchemaImpl;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.resolver.strategy.ArtifactReferenceResolverStrategy;
import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Plugs Apicurio's serdes into the same in-memory registry as Weir's, so that the two
 * implementations share schema ids without an Apicurio server: Apicurio's own code still frames the
 * value (its Confluent id handler) and encodes the Avro.
 */
public final class ApicurioResolver implements SchemaResolver<Schema, Object> {
  static final String SCOPE = "apicurio-interop";

  private SchemaParser<Schema, Object> parser;

  private static InMemorySchemaRegistry registry() {
    return InMemorySchemaRegistry.scope(SCOPE);
  }

  @Override
  public void configure(Map<String, ?> configs, SchemaParser<Schema, Object> schemaParser) {
    this.parser = schemaParser;
  }

  @Override
  public void setClient(RegistryClient client) {}

  @Override
  public void setArtifactResolverStrategy(
      ArtifactReferenceResolverStrategy<Schema, Object> strategy) {}

  @Override
  public SchemaParser<Schema, Object> getSchemaParser() {
    return parser;
  }

  @Override
  public SchemaLookupResult<Schema> resolveSchema(Record<Object> data) {
    ParsedSchema<Schema> s = parser.getSchemaFromData(data);
    KafkaSerdeMetadata m = (KafkaSerdeMetadata) data.metadata();
    String subject = m.getTopic() + (m.isKey() ? "-key" : "-value");
    int id = registry().register(subject, s.getParsedSchema().toString());
    return SchemaLookupResult.<Schema>builder().parsedSchema(s).globalId(id).contentId(id).build();
  }

  @Override
  public SchemaLookupResult<Schema> resolveSchemaByArtifactReference(ArtifactReference ref) {
    long id = ref.getContentId() != null ? ref.getContentId() : ref.getGlobalId();
    byte[] raw = registry().schemaById((int) id).getBytes(StandardCharsets.UTF_8);
    ParsedSchema<Schema> s =
        new ParsedSchemaImpl<Schema>()
            .setParsedSchema(parser.parseSchema(raw, Map.of()))
            .setRawSchema(raw);
    return SchemaLookupResult.<Schema>builder().parsedSchema(s).globalId(id).contentId(id).build();
  }

  @Override
  public void reset() {}

  @Override
  public void close() {}
}
