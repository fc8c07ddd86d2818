package dev.weir.internal;

/** Placeholder. */
final class Placeholder {
  private Placeholder() {}
}
