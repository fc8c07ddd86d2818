package dev.weir.internal.graph;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * A node of the logical graph the API builds. Mutable only while the pipeline is being built (name,
 * uid, serde); {@link #freeze()} makes it immutable once {@code StreamBuilder.build()} has made a
 * topology of it, so a topology cannot change after it was built. Not thread-safe while mutable.
 *
 * @param <T> the type of the records this node emits
 */
public abstract class Transformation<T> {
  private final int id;
  private final String kind;
  private String name;
  private String uid;
  private Serde<T> serde;
  private boolean frozen;

  Transformation(int id, String kind, Serde<T> serde) {
    this.id = id;
    this.kind = kind;
    this.serde = serde;
  }

  /** Dense id in creation order; only for ordering and display, never for persisted names. */
  public final int id() {
    return id;
  }

  /** What kind of node this is (map, filter, source, keyBy...), for display and generated names. */
  public final String kind() {
    return kind;
  }

  /** The display name: the user's {@code name(...)}, else the uid, else {@code kind-id}. */
  public final String name() {
    if (name != null) {
      return name;
    }
    return uid != null ? uid : kind + "-" + id;
  }

  /** Sets the user's name for the node; only while the pipeline is being built. */
  public final void setName(String name) {
    checkMutable("name(...)");
    this.name = name;
  }

  /** The stable identity used for internal topic and store names; null when not set. */
  public final String uid() {
    return uid;
  }

  /** Sets the node's stable identity; only while the pipeline is being built. */
  public final void setUid(String uid) {
    checkMutable("uid(...)");
    this.uid = uid;
  }

  /** The stable id: the uid when given, else derived from the name. */
  final String stableId() {
    return uid != null ? uid : name();
  }

  /** Whether the user named the node or gave it a uid (generated names shift between releases). */
  final boolean hasExplicitIdentity() {
    return uid != null || name != null;
  }

  /** The serde of the emitted records, when known. */
  public final Serde<T> serde() {
    return serde;
  }

  /** Sets the serde of the emitted records; only while the pipeline is being built. */
  public final void setSerde(Serde<T> serde) {
    checkMutable("returns(...)");
    this.serde = serde;
  }

  /** Makes the node immutable: it now belongs to a built topology. */
  public final void freeze() {
    frozen = true;
  }

  private void checkMutable(String call) {
    if (frozen) {
      throw new IllegalStateException(
          "'"
              + name()
              + "' belongs to a topology that was already built: call "
              + call
              + " before StreamBuilder.build()");
    }
  }

  /** The nodes this one reads from. */
  public abstract List<Transformation<?>> inputs();

  @Override
  public String toString() {
    return kind + "(" + name() + ")";
  }
}
