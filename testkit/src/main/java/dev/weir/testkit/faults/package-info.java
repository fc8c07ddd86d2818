/**
 * Fault injection for tests: wrappers around real Kafka {@code Producer}, {@code Consumer} and
 * {@code Admin} clients that fail, time out or freeze chosen calls. {@link
 * dev.weir.testkit.faults.FaultInjector} holds the rules; each rule names an {@link
 * dev.weir.testkit.faults.Operation} (a client method), a {@link dev.weir.testkit.faults.Trigger}
 * (the n-th call, a schedule of calls, a probability) and a {@link dev.weir.testkit.faults.Fault}
 * (fenced, timeout, unknown outcome, abort refused, a failed send, a freeze, your own action).
 *
 * <p>Independent of Weir; a Weir application takes the wrappers through {@code
 * KafkaClientSupplier.decorating(...)}.
 *
 * <p>Unless a method says otherwise, parameters must not be null and no method returns null.
 */
package dev.weir.testkit.faults;
