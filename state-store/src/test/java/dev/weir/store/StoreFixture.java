package dev.weir.store;

/** What a contract test needs from one implementation: stores "a" and "b" of one task. */
interface StoreFixture extends AutoCloseable {
  KeyValueStore store(String name);

  /** Called where a test moves from writing to reading; transactional fixtures may commit here. */
  default void settle() {}

  @Override
  void close();
}
