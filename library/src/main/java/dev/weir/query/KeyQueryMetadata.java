package dev.weir.query;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which instances hold one key of one operator's state, as of the group's last assignment: the
 * instance running the key's task (the active) and those keeping a standby replica of it. Each is
 * named by its {@code application.server}.
 *
 * @param activeHost the active instance; empty while the task is unassigned (during a rebalance) or
 *     when that instance set no {@code application.server}
 * @param standbyHosts the instances with a standby replica of the task; empty when there is none
 *     (or standby replicas are off)
 * @param partition the key's partition, which is also its task's partition
 */
public record KeyQueryMetadata(
    Optional<HostInfo> activeHost, Set<HostInfo> standbyHosts, int partition) {
  /**
   * Checks and copies the fields.
   *
   * @param activeHost the active instance, or empty
   * @param standbyHosts the instances with a standby replica; copied
   * @param partition the key's partition
   * @throws NullPointerException when a field is null
   */
  public KeyQueryMetadata {
    Objects.requireNonNull(activeHost, "activeHost");
    standbyHosts = Set.copyOf(standbyHosts);
  }
}
