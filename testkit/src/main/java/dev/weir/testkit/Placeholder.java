package dev.weir.testkit;

/** Placeholder. */
final class Placeholder {
  private Placeholder() {}
}
