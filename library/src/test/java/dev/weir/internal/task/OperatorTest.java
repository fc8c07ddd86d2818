package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A one-input operator is its own input's emitter: upstream calls reach process directly. */
class OperatorTest {
  private final List<String> seen = new ArrayList<>();

  private final Operator<String> op =
      new Operator<>("op") {
        @Override
        public void process(String value) {
          seen.add(value);
        }
      };

  @Test
  void inputZeroIsTheOperatorItselfAndEmitProcesses() throws Exception {
    assertThat(op.input(0)).isSameAs(op);
    op.input(0).emit("a");
    op.emit("b");
    assertThat(seen).containsExactly("a", "b");
  }

  @Test
  void aOneInputOperatorHasNoSecondInput() {
    assertThat(op.inputCount()).isEqualTo(1);
    assertThatThrownBy(() -> op.input(1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("no input 1");
  }

  @Test
  void aChainOfOperatorsWiredAsEmittersCallsEachInOrder() throws Exception {
    List<String> trace = new ArrayList<>();
    Operator<String> sink =
        new Operator<>("sink") {
          @Override
          public void process(String value) {
            trace.add("sink:" + value);
          }
        };
    Emitter<String> toSink = Emitter.fanOut(List.of(sink));
    Operator<String> upper =
        new Operator<>("upper") {
          @Override
          public void process(String value) throws Exception {
            trace.add("upper:" + value);
            toSink.emit(value.toUpperCase(java.util.Locale.ROOT));
          }
        };
    assertThat(toSink).isSameAs(sink); // one consumer: no fan-out wrapper either
    upper.input(0).emit("x");
    assertThat(trace).containsExactly("upper:x", "sink:X");
  }
}
