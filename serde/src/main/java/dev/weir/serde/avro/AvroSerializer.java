package dev.weir.serde.avro;

import dev.weir.serde.registry.RegisteredSchema;
import dev.weir.serde.registry.SchemaRegistries;
import dev.weir.serde.registry.SchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes values in the Confluent wire format, registering or looking up their schemas. Obtain it
 * from an {@link AvroSerde}; configure it (Weir does) before use. Thread-safe after configuration.
 *
 * @param <T> the value type
 */
public final class AvroSerializer<T> implements Serializer<T> {
  private final AvroFormat<T> format;
  private volatile SchemaRegistry registry;

  /** Whether the registry was given at construction: configuration does not replace it then. */
  private final boolean registryGiven;

  private boolean isKey;
  private SubjectNameStrategy strategy = SubjectNameStrategy.TOPIC;
  private boolean autoRegister = true;
  private boolean useLatest;
  private long latestTtlNanos = -1;

  /** Subjects of the states this serializer writes, by the topic name Weir calls it with. */
  private final Map<String, String> stateSubjects = new ConcurrentHashMap<>();

  /** What to write a value of a schema with, per subject. */
  private final Map<String, Map<Schema, Target>> targets = new ConcurrentHashMap<>();

  private final Map<String, Latest> latest = new ConcurrentHashMap<>();

  /** The schema id and writer for values of one schema under one subject. */
  private record Target(int id, DatumWriter<Object> writer, Projection projection) {}

  /** Converts a value to the subject's latest schema (use.latest.version, schemas differ). */
  private record Projection(
      DatumWriter<Object> own, GenericDatumReader<Object> reader, Schema ownSchema) {}

  private record Latest(RegisteredSchema schema, long fetchedNanos) {}

  AvroSerializer(AvroFormat<T> format, SchemaRegistry registry) {
    this.format = format;
    this.registry = registry;
    this.registryGiven = registry != null;
  }

  /**
   * Reads the registry and serializer settings; see {@link AvroSerdeConfig}. With {@value
   * AvroSerdeConfig#WEIR_STATE_TOPIC}, prepares for writing that state instead and checks its
   * schema against the versions already registered (see {@link StateSchemaCheck}); the topic
   * settings are then left as they were.
   *
   * @param configs the configuration
   * @param isKey whether this serializer writes record keys (map-state keys, for a state)
   * @throws org.apache.kafka.common.config.ConfigException when a setting is missing or wrong, or
   *     when the state's schema cannot read what is stored
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (!registryGiven) {
      registry = SchemaRegistries.get(configs);
    }
    Object stateTopic = configs.get(AvroSerdeConfig.WEIR_STATE_TOPIC);
    if (stateTopic != null) {
      String subject = stateTopic + (isKey ? "-key" : "-value");
      Schema reader = format.readerSchema();
      if (reader != null) {
        Object what = configs.get(AvroSerdeConfig.WEIR_STATE_DESCRIPTION);
        StateSchemaCheck.check(
            registry, subject, reader, what == null ? "state " + stateTopic : what.toString());
      }
      stateSubjects.put(stateTopic.toString(), subject);
      return;
    }
    this.isKey = isKey;
    String strategyKey =
        isKey
            ? AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY
            : AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY;
    Object s = configs.get(strategyKey);
    strategy =
        s == null
            ? SubjectNameStrategy.TOPIC
            : SubjectNameStrategy.parse(strategyKey, s.toString());
    autoRegister = bool(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
    useLatest = bool(configs, AvroSerdeConfig.USE_LATEST_VERSION, false);
    Object ttl = configs.get(AvroSerdeConfig.LATEST_CACHE_TTL_SEC);
    latestTtlNanos = ttl == null ? -1 : Long.parseLong(ttl.toString().trim()) * 1_000_000_000L;
    targets.clear();
    latest.clear();
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean d) {
    Object v = configs.get(key);
    return v == null ? d : Boolean.parseBoolean(v.toString().trim());
  }

  @Override
  @SuppressWarnings("unchecked")
  public byte[] serialize(String topic, T value) {
    if (value == null) {
      return null;
    }
    SchemaRegistry r = registry;
    if (r == null) {
      throw new SerializationException(
          "The Avro serializer is not configured: Weir configures it with the application's"
              + " configuration (set schema.registry.url there); elsewhere call"
              + " configure(configs, isKey) first");
    }
    Schema schema;
    try {
      schema = format.schemaOf(value);
    } catch (ClassCastException e) {
      throw AvroFormat.wrongType(value, "Avro records of its own kind");
    }
    String stateSubject = stateSubjects.get(topic);
    String subject = stateSubject != null ? stateSubject : strategy.subject(topic, isKey, schema);
    Target t = targets.computeIfAbsent(subject, k -> new ConcurrentHashMap<>()).get(schema);
    if (t == null || (useLatest && stateSubject == null && stale(subject))) {
      t = target(r, subject, schema, stateSubject != null);
      targets.get(subject).put(schema, t);
    }
    Object out = t.projection == null ? value : project(t.projection, value, subject);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    bytes.write(new byte[WireFormat.HEADER_SIZE], 0, WireFormat.HEADER_SIZE);
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      t.writer.write(out, enc);
      enc.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot write a value of schema "
              + schema.getFullName()
              + " for '"
              + topic
              + "' (subject "
              + subject
              + "): "
              + e.getMessage(),
          e);
    }
    byte[] data = bytes.toByteArray();
    WireFormat.writeHeader(data, t.id);
    return data;
  }

  private boolean stale(String subject) {
    Latest l = latest.get(subject);
    return l != null && latestTtlNanos >= 0 && System.nanoTime() - l.fetchedNanos > latestTtlNanos;
  }

  @SuppressWarnings("unchecked")
  private Target target(SchemaRegistry r, String subject, Schema schema, boolean state) {
    if (useLatest && !state) {
      RegisteredSchema l =
          r.version(subject, -1)
              .orElseThrow(
                  () ->
                      new SerializationException(
                          "use.latest.version is set but subject '"
                              + subject
                              + "' has no schema in the registry: register one first"));
      latest.put(subject, new Latest(l, System.nanoTime()));
      Schema latestSchema = new Schema.Parser().parse(l.schema());
      if (latestSchema.equals(schema)) {
        return new Target(l.id(), (DatumWriter<Object>) format.writer(schema), null);
      }
      Projection p =
          new Projection(
              (DatumWriter<Object>) format.writer(schema),
              new GenericDatumReader<>(schema, latestSchema, GenericData.get()),
              schema);
      return new Target(l.id(), new GenericDatumWriter<>(latestSchema, GenericData.get()), p);
    }
    String text = schema.toString();
    int id;
    if (autoRegister || state) {
      id = r.register(subject, text);
    } else {
      Optional<RegisteredSchema> found = r.lookup(subject, text);
      id =
          found
              .orElseThrow(
                  () ->
                      new SerializationException(
                          "Schema "
                              + schema.getFullName()
                              + " is not registered under subject '"
                              + subject
                              + "' and auto.register.schemas=false: register it (or set"
                              + " use.latest.version=true to write with the latest schema)"))
              .id();
    }
    return new Target(id, (DatumWriter<Object>) format.writer(schema), null);
  }

  private static Object project(Projection p, Object value, String subject) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream(64);
      BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(b, null);
      p.own.write(value, enc);
      enc.flush();
      return p.reader.read(null, DecoderFactory.get().binaryDecoder(b.toByteArray(), null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "use.latest.version: a value of schema "
              + p.ownSchema.getFullName()
              + " cannot be converted to the latest schema of subject '"
              + subject
              + "': "
              + e.getMessage(),
          e);
    }
  }
}
