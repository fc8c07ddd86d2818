package dev.weir.store.internal;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Validation of task ids and store names, shared by all backends. */
final class Names {
  /** The column family RocksDB always has; Weir keeps its metadata there. */
  static final String METADATA_COLUMN_FAMILY = "default";

  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._-]+");

  private Names() {}

  static boolean isValidTaskId(String taskId) {
    return TASK_ID.matcher(taskId).matches() && !taskId.equals(".") && !taskId.equals("..");
  }

  static String checkTaskId(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    if (!isValidTaskId(taskId)) {
      throw new IllegalArgumentException(
          "Task id '"
              + taskId
              + "' is not usable as a directory name: use letters, digits, '.', '_' and '-'");
    }
    return taskId;
  }

  static Set<String> checkStoreNames(String taskId, Collection<String> storeNames) {
    Objects.requireNonNull(storeNames, "storeNames");
    Set<String> checked = new TreeSet<>();
    for (String name : storeNames) {
      Objects.requireNonNull(name, "store name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("Task " + taskId + ": store names must not be empty");
      }
      if (name.equals(METADATA_COLUMN_FAMILY)) {
        throw new IllegalArgumentException(
            "Task "
                + taskId
                + ": store name '"
                + METADATA_COLUMN_FAMILY
                + "' is reserved for Weir's metadata; choose another name");
      }
      checked.add(name);
    }
    return checked;
  }

  static IllegalArgumentException unknownStore(String taskId, String name, Set<String> known) {
    return new IllegalArgumentException(
        "Task " + taskId + " has no store '" + name + "'; its stores are " + known);
  }
}
