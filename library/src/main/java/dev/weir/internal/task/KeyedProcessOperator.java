package dev.weir.internal.task;

import dev.weir.functions.KeyedProcessFunction;
import dev.weir.stream.OutputTag;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/** Runs a {@link KeyedProcessFunction}: a process function with keyed state. */
public final class KeyedProcessOperator<K, I, O>
    extends FunctionOperator<I, KeyedProcessFunction<K, I, O>> {
  private final FunctionOperators.EmittingCollector<O> collector;
  private final Function<OutputTag<?>, Emitter<?>> sideOutputs;
  private final Deserializer<K> keyDeserializer;
  private final KeyedProcessFunction<K, I, O>.Context context;
  private byte[] lastKeyBytes;
  private K lastKey;

  private KeyedProcessOperator(
      String name,
      KeyedProcessFunction<K, I, O> function,
      Serde<K> keySerde,
      Emitter<O> out,
      Function<OutputTag<?>, Emitter<?>> sideOutputs) {
    super(name, function);
    this.collector = new FunctionOperators.EmittingCollector<>(out);
    this.sideOutputs = sideOutputs;
    this.keyDeserializer = keySerde.deserializer();
    this.context = new ContextImpl(this.function);
  }

  public static <K, I, O> OperatorFactory<I, O> factory(
      KeyedProcessFunction<K, I, O> fn, Serde<K> keySerde) {
    return (name, out, sides) -> new KeyedProcessOperator<>(name, fn, keySerde, out, sides);
  }

  @Override
  public void process(I value) throws Exception {
    try {
      function.processElement(value, context, collector);
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  K currentKey() {
    byte[] bytes = task.record().keyBytes();
    if (bytes != lastKeyBytes) {
      lastKey = keyDeserializer.deserialize(task.record().topic(), bytes);
      lastKeyBytes = bytes;
    }
    return lastKey;
  }

  private final class ContextImpl extends KeyedProcessFunction<K, I, O>.Context {
    ContextImpl(KeyedProcessFunction<K, I, O> f) {
      f.super();
    }

    @Override
    public long timestamp() {
      return task.record().timestamp();
    }

    @Override
    public K getCurrentKey() {
      return currentKey();
    }

    @Override
    public long currentWatermark() {
      return task.currentWatermark();
    }

    @Override
    public long currentProcessingTime() {
      return task.currentProcessingTime();
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      ProcessOperator.emitSide(sideOutputs, tag, value);
    }
  }
}
