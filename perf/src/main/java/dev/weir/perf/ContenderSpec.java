package dev.weir.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a contender JVM is told: which implementation, which topics, which guarantee. Passed on the
 * command line of the child JVM.
 *
 * @param workload W1..W6
 * @param contender the implementation, see {@link Contenders}
 * @param mode the processing guarantee
 * @param phase {@code run} (process the input); W4 and W5: {@code load}, then {@code restore} (W4)
 *     or {@code recover} (W5)
 * @param bootstrap the broker
 * @param inputs the input topics (the data set, then the run's latency probe topic if any)
 * @param output the output topic
 * @param appId the application id, also the consumer group and transactional id prefix
 * @param stateDir local state directory
 * @param statusFile where the child reports milestones (see {@link StatusFile})
 * @param threads processing threads
 */
record ContenderSpec(
    String workload,
    String contender,
    Mode mode,
    String phase,
    String bootstrap,
    List<String> inputs,
    String output,
    String appId,
    Path stateDir,
    Path statusFile,
    int threads) {

  List<String> toArgs() {
    return List.of(
        workload,
        contender,
        mode.label(),
        phase,
        bootstrap,
        String.join(",", inputs),
        output,
        appId,
        stateDir.toString(),
        statusFile.toString(),
        Integer.toString(threads));
  }

  static ContenderSpec parse(String[] a) {
    if (a.length != 11) {
      throw new IllegalArgumentException(
          "Expected 11 arguments (workload contender mode phase bootstrap inputs output appId"
              + " stateDir statusFile threads), got "
              + List.of(a));
    }
    return new ContenderSpec(
        a[0],
        a[1],
        Mode.of(a[2]),
        a[3],
        a[4],
        new ArrayList<>(List.of(a[5].split(","))),
        a[6],
        a[7],
        Path.of(a[8]),
        Path.of(a[9]),
        Integer.parseInt(a[10]));
  }

  boolean exactlyOnce() {
    return mode == Mode.EOS;
  }
}
