package dev.weir.stream;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.graph.SourceTransformation;
import dev.weir.internal.graph.Transformation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a pipeline: sources, transformations, sinks. Calls only describe the pipeline; nothing
 * runs until the resulting {@link Topology} is given to a {@code WeirApplication} and started.
 *
 * <pre>{@code
 * StreamBuilder builder = new StreamBuilder();
 * builder.fromSource(KafkaSource.topic("lines", Serdes.String()), "lines")
 *     .flatMap((String line, Collector<String> out) -> {
 *       for (String w : line.split(" ")) {
 *         out.collect(w);
 *       }
 *     })
 *     .returns(Serdes.String())
 *     .keyBy(w -> w, Serdes.String())
 *     .map(w -> w.toUpperCase())
 *     .returns(Serdes.String())
 *     .sinkTo(KafkaSink.topic("words", Serdes.String()));
 * Topology topology = builder.build();
 * }</pre>
 *
 * <p>A builder is not thread-safe; build a pipeline on one thread.
 */
public final class StreamBuilder {
  private final List<Transformation<?>> nodes = new ArrayList<>();
  private boolean built;

  /** Creates an empty builder. */
  public StreamBuilder() {}

  /**
   * Adds a Kafka source.
   *
   * @param source the topics and how to read them
   * @param name the source's name; it names the source in metrics and in {@code describe()}
   * @param <T> element type
   * @return the stream of the source's records
   */
  public <T> DataStream<T> fromSource(KafkaSource<T> source, String name) {
    return fromSource(source, WatermarkStrategy.noWatermarks(), name);
  }

  /**
   * Adds a Kafka source with event time: each partition gets its own watermark generator from
   * {@code watermarks}, and records get the event timestamps its assigner gives them.
   *
   * @param source the topics and how to read them
   * @param watermarks how to assign timestamps and generate watermarks
   * @param name the source's name
   * @param <T> element type
   * @return the stream of the source's records
   */
  public <T> DataStream<T> fromSource(
      KafkaSource<T> source, WatermarkStrategy<T> watermarks, String name) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(watermarks, "watermarks");
    SourceTransformation<T> t =
        add(new SourceTransformation<>(nextId(), source.spec(), watermarks));
    t.setName(Objects.requireNonNull(name, "name"));
    return new DataStream<>(this, t);
  }

  /**
   * Freezes the pipeline into a topology. Checks what can be checked without a broker: every stream
   * that crosses a topic has a serde, and names are unique.
   *
   * @return the topology
   * @throws IllegalStateException naming the operator and the fix, when the pipeline is invalid
   */
  public Topology build() {
    built = true;
    return new Topology(List.copyOf(nodes));
  }

  int nextId() {
    if (built) {
      throw new IllegalStateException(
          "This StreamBuilder was already built; create a new one for another pipeline");
    }
    return nodes.size();
  }

  <X, N extends Transformation<X>> N add(N node) {
    nodes.add(node);
    return node;
  }
}
