package dev.weir.store;

/** Placeholder. */
final class Placeholder {
  private Placeholder() {}
}
