package dev.weir.internal.task;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.graph.SourceSpec;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The handlers that turn a task's input records into elements pushed into one operator input, and
 * register the topic's event-time channel with the input's index. Independent of the logical graph:
 * the task builder passes what the graph says, a test passes its own wiring.
 */
final class InputHandlers {
  private InputHandlers() {}

  /**
   * A source topic: deserialises each record, assigns its event timestamp with the source's
   * strategy (or takes event time from the upstream application's markers) and emits it.
   *
   * @param name the source's name, named by deserialisation errors
   * @param topic the topic
   * @param input the task input the topic feeds (0 for one-input tasks)
   * @param d the source's deserialiser
   * @param strategy the source's watermark strategy; unused when {@code markerTasks > 0}
   * @param markerTasks how many upstream tasks write watermark markers into the topic, 0 for none
   * @param out the operator input (or the first chained operator) the elements go to
   * @param context the task
   */
  static <T> StreamTask.InputHandler source(
      String name,
      String topic,
      int input,
      SourceSpec.Deserializer<T> d,
      WatermarkStrategy<T> strategy,
      int markerTasks,
      Emitter<? super T> out,
      TaskContext context) {
    RecordContext rc = context.record();
    if (markerTasks > 0) {
      // Event time comes from the upstream application's markers, as across a repartition topic.
      TaskWatermarks watermarks = context.watermarks();
      watermarks.addUpstream(input, topic, markerTasks);
      return record -> {
        if (MarkerFormat.isMarker(record.key(), record.headers())) {
          watermarks.onMarker(record.topic(), MarkerFormat.decode(record.value()));
          context.setMarkerArrived();
          return;
        }
        T value;
        try {
          value = d.deserialize(record);
        } catch (Exception e) {
          throw new StreamTask.DeserializationFailure(name, e);
        }
        if (value != null) {
          out.emit(value);
        }
      };
    }
    TaskWatermarks.SourceInput<T> time =
        context.watermarks().addSource(input, topic, strategy, name);
    return record -> {
      T value;
      try {
        value = d.deserialize(record);
      } catch (Exception e) {
        throw new StreamTask.DeserializationFailure(name, e);
      }
      if (value != null) {
        rc.setTimestamp(time.onRecord(value, record.timestamp()));
        out.emit(value);
      }
    };
  }

  /**
   * A repartition topic: skips watermark markers into the task's event-time state, deserialises the
   * other records and emits them, with the record key as the current key when keyed.
   *
   * @param name the exchange's name, named by deserialisation errors
   * @param topic the topic
   * @param input the task input the topic feeds (0 for one-input tasks)
   * @param d the element deserialiser
   * @param keyed whether the exchange partitioned by key (the record key is then the current key)
   * @param upstreamTasks how many upstream tasks write into the topic (and send markers)
   * @param out the operator input (or the first chained operator) the elements go to
   * @param context the task
   */
  static <T> StreamTask.InputHandler repartition(
      String name,
      String topic,
      int input,
      Deserializer<T> d,
      boolean keyed,
      int upstreamTasks,
      Emitter<? super T> out,
      TaskContext context) {
    RecordContext rc = context.record();
    TaskWatermarks watermarks = context.watermarks();
    watermarks.addUpstream(input, topic, upstreamTasks);
    return record -> {
      if (record.key() == null && MarkerFormat.isMarker(null, record.headers())) {
        watermarks.onMarker(record.topic(), MarkerFormat.decode(record.value()));
        context.setMarkerArrived();
        return;
      }
      T value;
      try {
        value = d.deserialize(record.topic(), record.headers(), record.value());
      } catch (Exception e) {
        throw new StreamTask.DeserializationFailure(name, e);
      }
      if (keyed) {
        rc.keyBytes = record.key();
      }
      out.emit(value);
    };
  }
}
