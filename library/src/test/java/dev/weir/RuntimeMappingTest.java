package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.internal.runtime.FailureResponse;
import dev.weir.internal.runtime.RuntimeState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The facade maps the runtime's lifecycle and failure responses to the public enums by name, so the
 * two sides must have the same constants and the same transitions.
 */
class RuntimeMappingTest {
  @Test
  void applicationStatesAreTheRuntimeStatesWithTheSameTransitions() {
    assertThat(Arrays.stream(ApplicationState.values()).map(Enum::name))
        .containsExactlyElementsOf(Arrays.stream(RuntimeState.values()).map(Enum::name).toList());
    for (ApplicationState from : ApplicationState.values()) {
      RuntimeState f = RuntimeState.valueOf(from.name());
      assertThat(f.isTerminal()).as(from.name()).isEqualTo(from.isTerminal());
      for (ApplicationState to : ApplicationState.values()) {
        assertThat(f.canTransitionTo(RuntimeState.valueOf(to.name())))
            .as(from + " -> " + to)
            .isEqualTo(from.canTransitionTo(to));
      }
    }
  }

  @Test
  void failureResponsesAreTheSame() {
    assertThat(Arrays.stream(ThreadFailureResponse.values()).map(Enum::name))
        .containsExactlyElementsOf(
            Arrays.stream(FailureResponse.values()).map(Enum::name).toList());
  }
}
