package dev.weir.internal.task;

import org.apache.kafka.common.KafkaException;

/**
 * A two-phase-commit sink's external system failed a step of the commit: its pre-commit (the Kafka
 * transaction then does not commit) or its commit after the Kafka commit (the handle stays in
 * committed state and the rebuilt task commits it on restore). It is a {@link KafkaException} so
 * that the one failure policy of the stream thread treats it as a failed transaction with a known
 * outcome: abort what is open, roll the tasks back, count it against {@code max.commit.failures}
 * (design record 011).
 */
final class ExternalTransactionException extends KafkaException {
  private static final long serialVersionUID = 1L;

  ExternalTransactionException(String message, Throwable cause) {
    super(message, cause);
  }
}
