package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.TaskState;
import dev.weir.store.RocksDbOptionsSetter;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigException;

/** Creates the instance-wide state backend from the configuration. */
final class StateBackendFactory {
  private StateBackendFactory() {}

  /**
   * Checks the state settings before anything runs.
   *
   * @throws ConfigException naming the key and the fix
   */
  static void validate(Settings config) {
    Class<?> setter = config.getClass(ConfigKeys.ROCKSDB_CONFIG_SETTER_CONFIG);
    if (setter == null) {
      return;
    }
    String key = ConfigKeys.ROCKSDB_CONFIG_SETTER_CONFIG;
    if (ConfigKeys.STATE_BACKEND_IN_MEMORY.equals(
        config.getString(ConfigKeys.STATE_BACKEND_CONFIG))) {
      throw new ConfigException(
          "Configuration '"
              + key
              + "' has no effect with state.backend=in_memory. Remove it, or use"
              + " state.backend=rocksdb.");
    }
    if (!RocksDbOptionsSetter.class.isAssignableFrom(setter)) {
      throw new ConfigException(
          "Configuration '"
              + key
              + "': "
              + setter.getName()
              + " does not implement "
              + RocksDbOptionsSetter.class.getName()
              + ". Implement it, or name a class that does.");
    }
    try {
      setter.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new ConfigException(
          "Configuration '"
              + key
              + "': "
              + setter.getName()
              + " has no public no-argument constructor. Add one (a public class, static if"
              + " nested).");
    }
  }

  /** The backend for {@code plan}, or null when the topology has no stateful operator. */
  static StateBackend create(Settings config, Path instanceDirectory, Plan plan) {
    if (plan.changelogTopics().isEmpty()) {
      return null;
    }
    if (ConfigKeys.STATE_BACKEND_IN_MEMORY.equals(
        config.getString(ConfigKeys.STATE_BACKEND_CONFIG))) {
      return StateBackends.inMemory(TaskState.BATCHES_STORED_WHOLE);
    }
    RocksDbSettings settings =
        RocksDbSettings.of(instanceDirectory)
            .withMemoryBytes(config.getLong(ConfigKeys.STATE_ROCKSDB_MEMORY_BYTES_CONFIG))
            .withCommitWal(config.getBoolean(ConfigKeys.STATE_ROCKSDB_COMMIT_WAL_CONFIG))
            .withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE);
    RocksDbOptionsSetter setter = optionsSetter(config);
    return StateBackends.rocksDb(setter == null ? settings : settings.withOptionsSetter(setter));
  }

  private static RocksDbOptionsSetter optionsSetter(Settings config) {
    Class<?> c = config.getClass(ConfigKeys.ROCKSDB_CONFIG_SETTER_CONFIG);
    if (c == null) {
      return null;
    }
    Object setter;
    try {
      setter = c.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new ConfigException(
          "Configuration '"
              + ConfigKeys.ROCKSDB_CONFIG_SETTER_CONFIG
              + "': the constructor of "
              + c.getName()
              + " threw "
              + e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(
          "Configuration '"
              + ConfigKeys.ROCKSDB_CONFIG_SETTER_CONFIG
              + "': cannot create "
              + c.getName()
              + ": "
              + e);
    }
    if (setter instanceof Configurable configurable) {
      configurable.configure(config.originals());
    }
    return (RocksDbOptionsSetter) setter;
  }
}
