package dev.weir.serde.registry;

import java.util.List;

/**
 * The registry's answer to a compatibility check.
 *
 * @param compatible whether the schema is compatible under the subject's compatibility level
 * @param messages why not, when the registry says (empty otherwise); never null
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {
  /**
   * Copies the messages.
   *
   * @param compatible whether the schema is compatible
   * @param messages why not; copied
   */
  public CompatibilityResult {
    messages = List.copyOf(messages);
  }
}
