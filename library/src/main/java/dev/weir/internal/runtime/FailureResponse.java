package dev.weir.internal.runtime;

/**
 * What the runtime does when a stream thread dies. The facade maps the user's {@code
 * dev.weir.ThreadFailureResponse} to it by name, so the runtime does not depend on the facade
 * package.
 */
public enum FailureResponse {
  REPLACE_THREAD,
  SHUTDOWN_INSTANCE,
  SHUTDOWN_APPLICATION
}
