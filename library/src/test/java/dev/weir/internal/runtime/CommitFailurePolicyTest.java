package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.errors.WeirException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/** The failure table of design record 005, row by row. */
class CommitFailurePolicyTest {
  @Test
  void classifiesEveryRowOfTheTable() {
    Map<Throwable, CommitFailurePolicy.Action> table = new LinkedHashMap<>();
    table.put(new ProducerFencedException("f"), CommitFailurePolicy.Action.RECREATE_FENCED);
    table.put(new InvalidProducerEpochException("e"), CommitFailurePolicy.Action.RECREATE_FENCED);
    table.put(new CommitFailedException("c"), CommitFailurePolicy.Action.RECREATE_FENCED);
    table.put(new TimeoutException("t"), CommitFailurePolicy.Action.RECREATE_UNKNOWN_OUTCOME);
    table.put(new InterruptException("i"), CommitFailurePolicy.Action.RECREATE_UNKNOWN_OUTCOME);
    table.put(new WakeupException(), CommitFailurePolicy.Action.ABORT);
    table.put(new KafkaException("k"), CommitFailurePolicy.Action.ABORT);
    table.put(new WeirException("w"), CommitFailurePolicy.Action.FAIL_THREAD);
    table.put(new IllegalStateException("bug"), CommitFailurePolicy.Action.FAIL_THREAD);
    table.put(new OutOfMemoryError("oom"), CommitFailurePolicy.Action.FAIL_THREAD);

    Map<Throwable, CommitFailurePolicy.Action> actual = new LinkedHashMap<>();
    table.keySet().forEach(t -> actual.put(t, CommitFailurePolicy.classify(t)));

    assertThat(actual).containsExactlyEntriesOf(table);
  }
}
