package dev.weir.examples;

/** Placeholder. */
final class Placeholder {
  private Placeholder() {}
}
