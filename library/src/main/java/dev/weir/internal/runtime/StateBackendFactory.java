package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.Plan;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import java.nio.file.Path;

/** Creates the instance-wide state backend from the configuration. */
final class StateBackendFactory {
  private StateBackendFactory() {}

  /** The backend for {@code plan}, or null when the topology has no stateful operator. */
  static StateBackend create(Settings config, Path instanceDirectory, Plan plan) {
    if (plan.changelogTopics().isEmpty()) {
      return null;
    }
    if (ConfigKeys.STATE_BACKEND_IN_MEMORY.equals(
        config.getString(ConfigKeys.STATE_BACKEND_CONFIG))) {
      return StateBackends.inMemory();
    }
    return StateBackends.rocksDb(
        RocksDbSettings.of(instanceDirectory)
            .withMemoryBytes(config.getLong(ConfigKeys.STATE_ROCKSDB_MEMORY_BYTES_CONFIG)));
  }
}
