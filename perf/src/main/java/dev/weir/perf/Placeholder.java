package dev.weir.perf;

/** Placeholder. */
final class Placeholder {
  private Placeholder() {}
}
