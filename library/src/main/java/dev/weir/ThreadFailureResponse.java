package dev.weir;

/** What to do after a stream thread died of an error that no record handler took. */
public enum ThreadFailureResponse {
  /** Start a new thread in the dead one's place; it takes over the same tasks. */
  REPLACE_THREAD,
  /** Stop every thread of this instance; the instance ends in {@link ApplicationState#ERROR}. */
  SHUTDOWN_INSTANCE,
  /** Ask every instance of the application to stop, through the consumer group. */
  SHUTDOWN_APPLICATION
}
