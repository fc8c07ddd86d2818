package dev.weir.internal.status;

import dev.weir.internal.graph.PartitionTransformation;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SinkTransformation;
import dev.weir.internal.graph.SourceTransformation;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.Transformation;
import dev.weir.internal.runtime.RuntimeStatus;
import dev.weir.internal.runtime.RuntimeStatus.InputStatus;
import dev.weir.internal.runtime.RuntimeStatus.TaskStatus;
import dev.weir.internal.runtime.RuntimeStatus.ThreadStatus;
import java.util.Comparator;
import java.util.List;

/** The JSON documents of {@code /topology}, {@code /tasks} and the probes. */
final class StatusDocuments {
  private StatusDocuments() {}

  /**
   * The plan as a graph: sub-topologies, operators (nodes) and edges, an edge through a topic
   * naming it, and every topic by role.
   */
  static String topology(Plan plan) {
    Json j = new Json().beginObject().field("applicationId", plan.applicationId());
    j.name("subTopologies").beginArray();
    for (SubTopology s : plan.subTopologies()) {
      j.beginObject().field("id", s.id());
      strings(j.name("inputTopics"), plan.inputTopics(s));
      strings(j.name("stores"), plan.stores(s));
      j.endObject();
    }
    j.endArray().name("operators").beginArray();
    for (SubTopology s : plan.subTopologies()) {
      for (Transformation<?> n : ordered(s)) {
        j.beginObject()
            .field("id", n.id())
            .field("name", n.name())
            .field("kind", n.kind())
            .field("subTopology", s.id())
            .field("store", plan.storeName(n));
        if (n instanceof SourceTransformation<?> src) {
          strings(j.name("topics"), src.source().topics());
        } else if (n instanceof SinkTransformation<?> sink) {
          strings(j.name("topics"), List.of(sink.sink().topicName()));
        } else if (n instanceof PartitionTransformation<?> p) {
          strings(j.name("topics"), List.of(plan.repartitionTopic(p)));
        }
        j.endObject();
      }
    }
    j.endArray().name("edges").beginArray();
    for (SubTopology s : plan.subTopologies()) {
      for (Transformation<?> n : ordered(s)) {
        for (Transformation<?> in : n.inputs()) {
          j.beginObject().field("from", in.id()).field("to", n.id());
          // An exchange's input runs in the upstream sub-topology: the edge is the topic.
          j.field(
              "topic", n instanceof PartitionTransformation<?> p ? plan.repartitionTopic(p) : null);
          j.endObject();
        }
      }
    }
    j.endArray().name("topics").beginObject();
    strings(
        j.name("sources"),
        plan.subTopologies().stream()
            .flatMap(s -> s.sources().stream())
            .flatMap(src -> src.source().topics().stream())
            .distinct()
            .toList());
    strings(j.name("sinks"), List.copyOf(plan.sinkTopics()));
    strings(j.name("repartition"), List.copyOf(plan.repartitionTopics().values()));
    strings(j.name("changelogs"), List.copyOf(plan.changelogTopics().keySet()));
    return j.endObject().endObject().toString();
  }

  /** The instance, its threads and their tasks. */
  static String tasks(String applicationId, RuntimeStatus status) {
    Json j =
        new Json()
            .beginObject()
            .field("applicationId", applicationId)
            .field("instanceId", status.instanceId())
            .field("state", status.state().name())
            .field("restored", status.restored());
    j.name("threads").beginArray();
    for (ThreadStatus t : status.threads()) {
      j.beginObject()
          .field("name", t.name())
          .field("state", t.state())
          .field("alive", t.alive())
          .field("commits", t.commits())
          .field(
              "commitLatencyAvgMs",
              t.commits() == 0 ? null : t.commitTimeNanos() / 1e6 / t.commits());
      j.name("tasks").beginArray();
      for (TaskStatus task : t.tasks()) {
        task(j, task);
      }
      j.endArray().endObject();
    }
    return j.endArray().endObject().toString();
  }

  private static void task(Json j, TaskStatus t) {
    j.beginObject()
        .field("id", t.id())
        .field("state", t.restoring() ? "RESTORING" : "RUNNING")
        .field("restoreRemaining", t.restoreRemaining())
        .field("restoreTotal", t.restoreTotal())
        .field("watermark", watermark(t.watermark()))
        .field("idle", t.idle())
        .field("eventTimeLagMs", t.eventTimeLagMs());
    j.name("inputs").beginArray();
    for (InputStatus in : t.inputs()) {
      j.beginObject()
          .field("name", in.name())
          .field("watermark", watermark(in.watermark()))
          .field("idle", in.idle())
          .field("recordsLag", in.recordsLag())
          .endObject();
    }
    j.endArray().endObject();
  }

  /** A probe's answer: whether it passed, the state, and why not. */
  static String probe(boolean up, String state, String reason) {
    return new Json()
        .beginObject()
        .field("status", up ? "UP" : "DOWN")
        .field("state", state)
        .field("reason", reason)
        .endObject()
        .toString();
  }

  // No watermark yet is Long.MIN_VALUE inside; null outside, where it would read as a date.
  private static Long watermark(Long w) {
    return w == null || w == Long.MIN_VALUE ? null : w;
  }

  private static List<Transformation<?>> ordered(SubTopology s) {
    return s.nodes().stream().sorted(Comparator.comparingInt(Transformation::id)).toList();
  }

  private static void strings(Json j, List<String> values) {
    j.beginArray();
    values.forEach(j::value);
    j.endArray();
  }
}
