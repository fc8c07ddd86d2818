package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which open transactions {@link DepartedProducers#decide} fences: only departed Weir threads'. */
class DepartedProducersTest {
  private static final String APP = "orders";
  private static final String OWN = "0000aaaa";

  private static DepartedProducers.Decision decide(List<String> open, List<String> members) {
    return DepartedProducers.decide(APP, OWN, open, members);
  }

  @Test
  void fencesTheThreadsWhoseConsumerLeftTheGroup() {
    DepartedProducers.Decision d =
        decide(
            List.of("orders-1111bbbb-1", "orders-2222cccc-0", "orders-1111bbbb-0"),
            List.of("orders-0000aaaa-0-consumer", "orders-2222cccc-0-consumer"));
    assertThat(d.declined()).isNull();
    assertThat(d.fence()).containsExactly("orders-1111bbbb-0", "orders-1111bbbb-1");
  }

  @Test
  void aLiveThreadIsNeverFencedEvenWhenAnotherThreadOfItsInstanceLeft() {
    // Thread 0 of 1111bbbb still serves its tasks; its thread 1 was expelled (a zombie).
    DepartedProducers.Decision d =
        decide(
            List.of("orders-1111bbbb-0", "orders-1111bbbb-1"),
            List.of("orders-0000aaaa-0-consumer", "orders-1111bbbb-0-consumer"));
    assertThat(d.fence()).containsExactly("orders-1111bbbb-1");
  }

  @Test
  void neverFencesThisInstancesOwnIds() {
    // This instance's threads fence their own ids when they (re)start.
    DepartedProducers.Decision d =
        decide(List.of("orders-0000aaaa-0", "orders-0000aaaa-3"), List.of());
    assertThat(d.declined()).isNull();
    assertThat(d.fence()).isEmpty();
  }

  @Test
  void neverFencesAnotherApplicationWhoseIdStartsWithThisOne() {
    DepartedProducers.Decision d =
        decide(
            List.of(
                "orders-etl-1111bbbb-0",
                "orders-deadbeef-1111bbbb-0",
                "orders-1111bbbb-x",
                "orders-1111bbbb",
                "orders-1111BBBB-0",
                "other-1111bbbb-0"),
            List.of("orders-0000aaaa-0-consumer"));
    assertThat(d.declined()).isNull();
    assertThat(d.fence()).isEmpty();
  }

  @Test
  void aMemberWithAClientIdNotOfWeirsFormMakesLivenessUnknownSoNothingIsFenced() {
    DepartedProducers.Decision d =
        decide(
            List.of("orders-1111bbbb-0"),
            List.of("orders-0000aaaa-0-consumer", "billing-service-0-consumer"));
    assertThat(d.fence()).isEmpty();
    assertThat(d.declined()).contains("'billing-service-0-consumer'");
    DepartedProducers.Decision noSuffix =
        decide(List.of("orders-1111bbbb-0"), List.of("orders-2222cccc-0"));
    assertThat(noSuffix.fence()).isEmpty();
    assertThat(noSuffix.declined()).contains("'orders-2222cccc-0'");
  }

  @Test
  void aRestartedInstanceWithTheSameInstanceIdIsLiveAgain() {
    // Static membership or a quick restart on the same state directory: the instance's consumer
    // is back in the group, so its id is live (its own initTransactions fenced the old epoch).
    DepartedProducers.Decision d =
        decide(
            List.of("orders-1111bbbb-0"),
            List.of("orders-0000aaaa-0-consumer", "orders-1111bbbb-0-consumer"));
    assertThat(d.fence()).isEmpty();
  }

  @Test
  void nothingOpenNothingFenced() {
    assertThat(decide(List.of(), List.of("orders-0000aaaa-0-consumer")).fence()).isEmpty();
  }
}
