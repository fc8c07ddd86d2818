package dev.weir.store;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A rule over batch scopes (see {@link ChangelogFormat#batchKey}), such as which scopes a store
 * keeps whole ({@link RocksDbSettings#withBatchesStoredWhole}), that can test a scope where it lies
 * inside a larger array: a batch key's scope is tested without copying it out ({@link
 * ChangelogFormat#batchScopeMatches}).
 *
 * <pre>{@code
 * BatchScopeRule lists = (bytes, offset, length) -> length > 0 && bytes[offset] == 'N';
 * RocksDbSettings settings = RocksDbSettings.of(dir).withBatchesStoredWhole(lists);
 * }</pre>
 *
 * <p>A rule must be cheap, thread-safe, free of side effects, and answer the same for the same
 * scope bytes wherever they lie; it must neither modify nor keep the array.
 */
@FunctionalInterface
public interface BatchScopeRule extends Predicate<byte[]> {

  /**
   * Tests the scope {@code bytes[offset, offset + length)}.
   *
   * @param bytes the array holding the scope; not null
   * @param offset where the scope starts
   * @param length the scope's length
   * @return whether the rule accepts the scope
   */
  boolean test(byte[] bytes, int offset, int length);

  /**
   * Tests a scope that fills its array.
   *
   * @param scope the scope; not null
   * @return {@code test(scope, 0, scope.length)}
   */
  @Override
  default boolean test(byte[] scope) {
    return test(scope, 0, scope.length);
  }

  /**
   * The rule of a predicate over whole scopes: {@code predicate} itself when it is a rule, else a
   * rule that copies the scope into an array of its own for it.
   *
   * @param predicate a predicate over scopes; not null
   * @return the rule; never null
   */
  static BatchScopeRule of(Predicate<byte[]> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    if (predicate instanceof BatchScopeRule rule) {
      return rule;
    }
    return (bytes, offset, length) ->
        predicate.test(Arrays.copyOfRange(bytes, offset, offset + length));
  }
}
