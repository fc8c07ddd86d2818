package dev.weir.internal.runtime;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The one classification of what went wrong while a stream thread wrote or committed its work, and
 * what the thread does about it (design record 005 has the table). Every place that can see a
 * failure of the commit path (a commit, a record's processing, revocation, the thread's death) asks
 * this class, so that an exception means the same thing wherever it surfaces.
 */
final class CommitFailurePolicy {
  /** What to do with the producer; the caller then rolls its tasks back to the last commit. */
  enum Action {
    /**
     * The producer was fenced or the consumer left the generation: it can do nothing more, so it is
     * replaced (aborting is pointless).
     */
    RECREATE_FENCED,
    /**
     * The outcome of the commit is unknown (a timeout, an interrupt): the producer is replaced and
     * never used to abort, because an abort could undo a transaction the broker committed. The new
     * producer's {@code initTransactions()} completes or aborts it first; the tasks then retry from
     * the offsets Kafka actually committed.
     */
    RECREATE_UNKNOWN_OUTCOME,
    /** The transaction failed with a known outcome: abort it; if the abort is refused, replace. */
    ABORT,
    /** Not a failure of the commit path: the thread dies and the thread failure policy decides. */
    FAIL_THREAD
  }

  private CommitFailurePolicy() {}

  /**
   * Classifies a failure.
   *
   * @param failure what was thrown; not null
   * @return the action for it
   */
  static Action classify(Throwable failure) {
    if (failure instanceof ProducerFencedException
        || failure instanceof InvalidProducerEpochException
        || failure instanceof CommitFailedException) {
      return Action.RECREATE_FENCED;
    }
    if (failure instanceof TimeoutException || failure instanceof InterruptException) {
      return Action.RECREATE_UNKNOWN_OUTCOME;
    }
    if (failure instanceof KafkaException) {
      return Action.ABORT;
    }
    // Errors, Weir's own exceptions (a record that failed under "fail", a failed operator) and
    // anything unexpected: repeating the work would fail again or hide a bug.
    return Action.FAIL_THREAD;
  }
}
