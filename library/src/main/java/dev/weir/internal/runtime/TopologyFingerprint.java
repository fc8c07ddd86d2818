package dev.weir.internal.runtime;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SubTopology;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short hash of what every member of one application must agree on: the sub-topologies (which
 * define the tasks) with their input topics, the repartition topics each writes, and the state
 * stores with their changelog topics. Two members with different fingerprints would disagree on
 * which task reads what or where its state lives. Operator logic and stateless operators inside a
 * sub-topology are left out: changing them is a compatible rolling upgrade.
 *
 * <p>A store's layout is part of it where an instance with another layout would misread the store:
 * a topology with window operators names the layout of their lists (design record 032), so a group
 * mixing instances from before and after that record refuses the mix instead of showing a moved
 * window as empty.
 */
final class TopologyFingerprint {
  private TopologyFingerprint() {}

  /** The canonical text hashed; also what a mismatch report can show. */
  static String canonical(Plan plan) {
    StringBuilder sb = new StringBuilder();
    for (SubTopology s : plan.subTopologies()) {
      List<String> writes = s.writes().stream().map(plan::repartitionTopic).sorted().toList();
      sb.append("sub-topology ")
          .append(s.id())
          .append(" reads ")
          .append(plan.inputTopics(s).stream().sorted().toList())
          .append(" writes ")
          .append(writes)
          .append(" stores ")
          .append(plan.stores(s).stream().sorted().toList())
          .append('\n');
    }
    sb.append("changelogs ").append(new TreeMap<>(plan.changelogTopics())).append('\n');
    Map<String, String> windows = plan.windowStores();
    if (!windows.isEmpty()) {
      sb.append("window lists batched (design record 032) in ")
          .append(new TreeMap<>(windows))
          .append('\n');
    }
    return sb.toString();
  }

  /**
   * What a topology-mismatch report adds when {@code plan} has async operators that keep their
   * requests in a store (design record 015): instances of a Weir version before that record run the
   * same code as a topology without those stores, so the mismatch is the upgrade itself.
   *
   * @param plan this instance's plan; null in assignor tests without one
   * @return a sentence starting with a space, or "" when the plan has no such operator
   */
  static String asyncUpgradeNote(Plan plan) {
    return plan == null
        ? ""
        : upgradeNote(
            plan.asyncRequestStores(),
            " record 015 an async operator whose input has a serde keeps its requests in flight"
                + " at a commit in a store",
            "), which older versions do not have, so this upgrade needs every instance stopped"
                + " once (see docs/async-io.md, 'Upgrading from a version that drained at every"
                + " commit').");
  }

  /**
   * What a topology-mismatch report adds when {@code plan} has window operators: instances of a
   * Weir version before design record 032 keep window lists in another layout and hash the same
   * topology without the layout line, so the mismatch is the upgrade itself.
   *
   * @param plan this instance's plan; null in assignor tests without one
   * @return a sentence starting with a space, or "" when the plan has no window operator
   */
  static String windowUpgradeNote(Plan plan) {
    return plan == null
        ? ""
        : upgradeNote(
            plan.windowStores(),
            " record 032 window operators keep their lists in a new layout",
            "), which older versions cannot read, so this upgrade needs every instance stopped"
                + " once (see docs/operations.md, 'Rolling upgrades').");
  }

  /**
   * " If the other instances run an older Weir: since design" + {@code since} + " (here " + the
   * operators and their changelog topics + {@code then}; "" when {@code stores} is empty.
   */
  private static String upgradeNote(Map<String, String> stores, String since, String then) {
    if (stores.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" If the other instances run an older Weir: since design");
    sb.append(since).append(" (here ");
    String sep = "";
    for (Map.Entry<String, String> e : stores.entrySet()) {
      sb.append(sep)
          .append("operator '")
          .append(e.getKey())
          .append("', changelog topic '")
          .append(e.getValue())
          .append('\'');
      sep = "; ";
    }
    return sb.append(then).toString();
  }

  /** Sixteen hex digits of the SHA-256 of {@link #canonical}. */
  static String of(Plan plan) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical(plan).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
