package dev.weir.internal.task;

import dev.weir.functions.KeySelector;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Puts the current record into a keyed context without an exchange (for topics already partitioned
 * by key): computes and serialises the key and stores it in the record context while the downstream
 * operators run, then puts back the key that was there.
 */
final class KeyingOperator {
  private KeyingOperator() {}

  public static <T, K> OperatorFactory<T, T> factory(
      KeySelector<? super T, ? extends K> selector, Serde<K> keySerde) {
    return (name, out, sides) ->
        new Operator<T>(name) {
          private final KeySelector<? super T, ? extends K> f = FunctionCopier.copy(selector, name);
          private final Serializer<K> serializer = keySerde.serializer();

          @Override
          public void process(T value) throws Exception {
            byte[] key;
            try {
              key = serializer.serialize(task.record().topic(), f.getKey(value));
            } catch (Exception e) {
              throw OperatorException.wrap(name, e);
            }
            // The key holds for the operators downstream only: an upstream keyed operator that
            // emitted this record (a window firing several windows, say) goes on with its own key.
            RecordContext rc = task.record();
            byte[] callers = rc.keyBytes;
            rc.keyBytes = key;
            try {
              out.emit(value);
            } finally {
              rc.keyBytes = callers;
            }
          }
        };
  }
}
