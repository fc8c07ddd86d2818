package dev.weir.internal.task;

import dev.weir.errors.WeirException;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.StateDescriptor;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives state serdes a stable name and their configuration. A state's serdes are called with the
 * topic name {@code <application.id>-<store>-<state>} (no such topic exists; the name is what a
 * schema-registry serde derives its subject from, e.g. {@code <that>-value}), and are configured
 * once per task when the state is first registered, with the application's configuration plus
 * {@value #STATE_TOPIC} (that name) and {@value #STATE_DESCRIPTION}. A serde that checks its schema
 * against stored state does so in {@code configure}, so an incompatible change fails the task
 * before it processes a record.
 */
final class StateSerdes {
  /** The configuration key of the topic name a state's serdes are called with. */
  static final String STATE_TOPIC = "weir.state.topic";

  /** The configuration key of a description of the state, for a serde's error messages. */
  static final String STATE_DESCRIPTION = "weir.state.description";

  /**
   * For operator states built without an application (unit tests): the state name, no configure.
   */
  static final StateSerdes UNCONFIGURED = new StateSerdes(null, null, null, null);

  private final String applicationId;
  private final String storeName;
  private final String operatorName;
  private final Map<String, ?> configs;

  StateSerdes(String applicationId, String storeName, String operatorName, Map<String, ?> configs) {
    this.applicationId = applicationId;
    this.storeName = storeName;
    this.operatorName = operatorName;
    this.configs = configs;
  }

  String topic(String stateName) {
    if (applicationId == null) {
      return stateName;
    }
    return applicationId + "-" + storeName + "-" + stateName;
  }

  void configure(StateDescriptor<?> d) {
    if (configs == null) {
      return;
    }
    Map<String, Object> c = new HashMap<>(configs);
    c.put(STATE_TOPIC, topic(d.name()));
    String what = "state '" + d.name() + "' of operator '" + operatorName + "'";
    c.put(STATE_DESCRIPTION, what);
    try {
      d.serde().configure(c, false);
      if (d instanceof MapStateDescriptor<?, ?> m) {
        m.keySerde().configure(c, true);
      }
    } catch (RuntimeException e) {
      throw new WeirException(
          "Configuring the serde of "
              + what
              + " (store '"
              + storeName
              + "') failed: "
              + e.getMessage(),
          e);
    }
  }
}
