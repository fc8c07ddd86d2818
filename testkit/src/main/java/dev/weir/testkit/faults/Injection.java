package dev.weir.testkit.faults;

/**
 * One fault that happened: which client, which operation, the how-manieth call, which fault.
 *
 * @param client the client's name ({@link Call#client()})
 * @param operation the operation
 * @param call the call's number on that client, 1 for the first
 * @param fault the fault's name ({@link Fault#name()})
 */
public record Injection(String client, Operation operation, long call, String fault) {
  /** Returns {@code <fault> at <operation> #<call> on <client>}. */
  @Override
  public String toString() {
    return fault + " at " + operation + " #" + call + " on " + client;
  }
}
