package dev.weir.testkit.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * What happens at a call when a rule's {@link Trigger} fires: the call fails before it reaches the
 * real client, fails after the real client did the work, blocks the calling thread, or runs your
 * code. The named constructors cover the failures a broker or network produces on the commit path:
 *
 * <table>
 *   <caption>Ready-made faults</caption>
 *   <tr><th>fault</th><th>thrown</th><th>did the real call happen?</th></tr>
 *   <tr><td>{@link #fenced()}</td><td>{@code ProducerFencedException}</td><td>no</td></tr>
 *   <tr><td>{@link #timeout()}</td><td>{@code TimeoutException}</td><td>no</td></tr>
 *   <tr><td>{@link #unknownOutcome()}</td><td>{@code TimeoutException}</td><td>yes: a commit
 *       committed, but the caller cannot know</td></tr>
 *   <tr><td>{@link #abortRefused()}</td><td>{@code IllegalStateException}, as Kafka's producer
 *       refuses an abort after a timed-out commit</td><td>no</td></tr>
 *   <tr><td>{@link #commitFailed()}</td><td>{@code CommitFailedException}</td><td>no</td></tr>
 *   <tr><td>{@link #abortableError()}</td><td>{@code KafkaException}</td><td>no</td></tr>
 *   <tr><td>{@link #sendFails(Supplier)}</td><td>nothing: the send's callback and future get the
 *       error</td><td>no</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe (as long as the suppliers and actions you give it are).
 */
public final class Fault {
  enum Kind {
    FAIL_BEFORE,
    FAIL_AFTER,
    FAIL_SEND,
    FREEZE,
    FREEZE_UNTIL,
    RUN_BEFORE,
    RUN_AFTER
  }

  private final Kind kind;
  private final String name;
  private final Supplier<? extends Exception> error;
  private final Duration duration;
  private final CountDownLatch release;
  private final Consumer<Call> action;

  private Fault(
      Kind kind,
      String name,
      Supplier<? extends Exception> error,
      Duration duration,
      CountDownLatch release,
      Consumer<Call> action) {
    this.kind = kind;
    this.name = name;
    this.error = error;
    this.duration = duration;
    this.release = release;
    this.action = action;
  }

  /**
   * The call throws the supplied exception and never reaches the real client.
   *
   * @param error makes the exception, once per injection
   * @return the fault
   */
  public static Fault failing(Supplier<? extends RuntimeException> error) {
    return new Fault(Kind.FAIL_BEFORE, "failing", Objects.requireNonNull(error), null, null, null);
  }

  /**
   * The real client does the call, then the call throws the supplied exception instead of
   * returning: the caller cannot tell whether the call took effect.
   *
   * @param error makes the exception, once per injection
   * @return the fault
   */
  public static Fault failingAfterCall(Supplier<? extends RuntimeException> error) {
    return new Fault(
        Kind.FAIL_AFTER, "failing after the call", Objects.requireNonNull(error), null, null, null);
  }

  /**
   * For {@link Operation#SEND} only: the record is not sent; {@code send} returns a future that
   * fails with the error and calls the callback (if any) with it, as the real producer reports an
   * asynchronous send error. Unlike a real failed send, the producer's open transaction stays
   * committable: only the caller's own error handling can notice the loss.
   *
   * @param error makes the exception, once per injection
   * @return the fault
   */
  public static Fault sendFails(Supplier<? extends Exception> error) {
    return new Fault(Kind.FAIL_SEND, "send fails", Objects.requireNonNull(error), null, null, null);
  }

  /**
   * Blocks the calling thread for {@code duration}, then makes the call: a stalled client, a long
   * garbage-collection pause. An interrupt ends the freeze with Kafka's {@code InterruptException},
   * as a real client's blocking call does.
   *
   * @param duration how long; not negative
   * @return the fault
   */
  public static Fault freezing(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a freeze cannot be negative: " + duration);
    }
    return new Fault(
        Kind.FREEZE, "freeze for " + duration.toMillis() + " ms", null, duration, null, null);
  }

  /**
   * Blocks the calling thread until {@code release} reaches zero, then makes the call: a freeze
   * whose end the test decides.
   *
   * @param release the latch the test counts down
   * @return the fault
   */
  public static Fault freezingUntil(CountDownLatch release) {
    return new Fault(
        Kind.FREEZE_UNTIL,
        "freeze until released",
        null,
        null,
        Objects.requireNonNull(release),
        null);
  }

  /**
   * Runs {@code action} before the call; the action may throw (the call then does not happen),
   * block or halt the JVM. Actions are your own code: they are not recorded as injections.
   *
   * @param action what to do; gets the call
   * @return the fault
   */
  public static Fault running(Consumer<Call> action) {
    return new Fault(Kind.RUN_BEFORE, "action", null, null, null, Objects.requireNonNull(action));
  }

  /**
   * Runs {@code action} after the call returned normally; not recorded as an injection.
   *
   * @param action what to do; gets the call, with the values from before the call
   * @return the fault
   */
  public static Fault runningAfterCall(Consumer<Call> action) {
    return new Fault(
        Kind.RUN_AFTER, "action after the call", null, null, null, Objects.requireNonNull(action));
  }

  /**
   * Throws {@link ProducerFencedException}: another producer with the same transactional id took
   * over. Use on {@link Operation#BEGIN_TRANSACTION}, {@link Operation#COMMIT_TRANSACTION} and the
   * like.
   *
   * @return the fault, named {@code fenced}
   */
  public static Fault fenced() {
    return failing(() -> new ProducerFencedException("injected: producer fenced")).named("fenced");
  }

  /**
   * Throws {@link TimeoutException} without making the call: the request never reached the broker.
   *
   * @return the fault, named {@code timeout}
   */
  public static Fault timeout() {
    return failing(() -> new TimeoutException("injected: timed out")).named("timeout");
  }

  /**
   * Makes the call, then throws {@link TimeoutException}: on {@link Operation#COMMIT_TRANSACTION}
   * the transaction is committed, but the caller was told it timed out.
   *
   * @return the fault, named {@code unknown-outcome}
   */
  public static Fault unknownOutcome() {
    return failingAfterCall(
            () -> new TimeoutException("injected: timed out after the call took effect"))
        .named("unknown-outcome");
  }

  /**
   * Throws {@link IllegalStateException} without aborting, as Kafka's producer refuses {@code
   * abortTransaction} after a {@code commitTransaction} that timed out (the commit must be retried
   * first). Use on {@link Operation#ABORT_TRANSACTION}.
   *
   * @return the fault, named {@code abort-refused}
   */
  public static Fault abortRefused() {
    return failing(
            () ->
                new IllegalStateException(
                    "injected: cannot abort, the previous commitTransaction timed out and must be"
                        + " retried"))
        .named("abort-refused");
  }

  /**
   * Throws {@link CommitFailedException} without making the call: the group moved on. Use on {@link
   * Operation#SEND_OFFSETS_TO_TRANSACTION} or {@link Operation#COMMIT_SYNC}.
   *
   * @return the fault, named {@code commit-failed}
   */
  public static Fault commitFailed() {
    return failing(() -> new CommitFailedException("injected: offset commit failed"))
        .named("commit-failed");
  }

  /**
   * Throws a plain {@link KafkaException} without making the call: an error after which a
   * transaction can only be aborted.
   *
   * @return the fault, named {@code abortable-error}
   */
  public static Fault abortableError() {
    return failing(() -> new KafkaException("injected: abortable error")).named("abortable-error");
  }

  /**
   * Returns the same fault under another name, the name {@link FaultInjector#injected()} and the
   * injection listener report.
   *
   * @param name the name
   * @return a new fault
   */
  public Fault named(String name) {
    return new Fault(kind, Objects.requireNonNull(name, "name"), error, duration, release, action);
  }

  /**
   * Returns the fault's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  Kind kind() {
    return kind;
  }

  /** Whether the injection log records this fault (actions are the caller's own code). */
  boolean recorded() {
    return kind != Kind.RUN_BEFORE && kind != Kind.RUN_AFTER;
  }

  /**
   * Acts before the real call. Throws to fail the call; {@link Kind#FAIL_SEND} is the wrapper's.
   */
  void before(Call call) {
    switch (kind) {
      case FAIL_BEFORE -> throw (RuntimeException) error.get();
      case FREEZE -> {
        try {
          Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptException(e);
        }
      }
      case FREEZE_UNTIL -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptException(e);
        }
      }
      case RUN_BEFORE -> action.accept(call);
      default -> {}
    }
  }

  /** Acts after the real call returned normally. */
  void after(Call call) {
    switch (kind) {
      case FAIL_AFTER -> throw (RuntimeException) error.get();
      case RUN_AFTER -> action.accept(call);
      default -> {}
    }
  }

  /** The error of a {@link Kind#FAIL_SEND} fault. */
  Exception sendError() {
    return error.get();
  }
}
