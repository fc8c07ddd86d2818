package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class KeyingOperatorTest {
  @Test
  void theKeyHoldsDownstreamOnlyAndTheCallersKeyComesBack() throws Exception {
    TaskContext ctx =
        new TaskContext("app", new TaskId(0, 0), 1, null, () -> 0L, new TaskMetrics());
    List<String> seenDownstream = new ArrayList<>();
    Operator<String> keying =
        KeyingOperator.<String, String>factory(v -> "other", Serdes.String())
            .create(
                "rekey",
                v ->
                    seenDownstream.add(new String(ctx.record().keyBytes(), StandardCharsets.UTF_8)),
                tag -> Emitter.discarding());
    keying.open(ctx);
    // A keyed operator upstream (a window firing for key "a") emits into the re-keying step.
    byte[] a = "a".getBytes(StandardCharsets.UTF_8);
    ctx.record().setTimer(10, a);
    keying.process("x");
    assertThat(seenDownstream).containsExactly("other");
    assertThat(ctx.record().keyBytes()).isSameAs(a);
  }
}
