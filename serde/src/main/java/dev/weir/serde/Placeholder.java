package dev.weir.serde;

/** Placeholder. */
final class Placeholder {
  private Placeholder() {}
}
