package dev.weir.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No package of the library depends on itself through others. Each package is one slice, as {@code
 * dev.weir.(**)} would make them, and the root package {@code dev.weir} is one too (the pattern
 * alone leaves it out), so any cycle fails with the classes on each of its edges. {@code
 * dev.weir.functions} and {@code dev.weir.state} form one slice, the documented exception.
 */
class PackageCycleTest {

  /** One slice per package of the library, the root package included. */
  static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String pkg = c.getPackageName();
          if (pkg.equals("dev.weir")) {
            return SliceIdentifier.of("dev.weir");
          }
          if (pkg.equals("dev.weir.functions") || pkg.equals("dev.weir.state")) {
            // The one exception (design record 008): functions and the state they use are one
            // vocabulary. RuntimeContext hands out states by descriptor, and the reducing and
            // aggregating descriptors hold a ReduceFunction or an AggregateFunction, so either
            // package needs the other; splitting them would move public types users import.
            return SliceIdentifier.of("functions+state");
          }
          if (pkg.startsWith("dev.weir.") && !pkg.startsWith("dev.weir.store")) {
            return SliceIdentifier.of(pkg.substring("dev.weir.".length()));
          }
          return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the library's packages";
        }
      };

  @Test
  void libraryPackagesAreFreeOfCycles() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(LibraryClasses.MAIN);
  }

  /**
   * Every public top-level type of {@code dev.weir.internal..}, with the reason it is public: a
   * class of another package needs it (or Kafka instantiates it by name). Everything else in an
   * internal package is package-private; a new public type fails until it is listed here, and a
   * listed type that is no longer public fails until it is removed (design record 008).
   */
  static final Map<String, String> PUBLIC_INTERNAL_TYPES =
      Map.ofEntries(
          // The graph: nodes the API (dev.weir.stream) creates and the task runtime reads.
          Map.entry("internal.graph.Transformation", "API classes hold nodes; tasks walk them"),
          Map.entry("internal.graph.SourceTransformation", "created by the API, read by tasks"),
          Map.entry("internal.graph.OneInputTransformation", "created by the API, translated"),
          Map.entry("internal.graph.PartitionTransformation", "created by the API, run by tasks"),
          Map.entry(
              "internal.graph.SideOutputTransformation", "created by the API, wired by tasks"),
          Map.entry("internal.graph.SinkTransformation", "created by the API, run by tasks"),
          Map.entry("internal.graph.UnionTransformation", "created by the API, wired by tasks"),
          Map.entry("internal.graph.OperatorSpec", "recorded by the API, read by the translator"),
          Map.entry("internal.graph.TwoInputTransformation", "created by the API, translated"),
          Map.entry("internal.graph.TwoInputSpec", "recorded by the API, read by the translator"),
          Map.entry(
              "internal.graph.IntervalJoinSpec", "recorded by the API, read by the translator"),
          Map.entry("internal.graph.SourceSpec", "held by KafkaSource, read by tasks and runtime"),
          Map.entry("internal.graph.SinkSpec", "held by KafkaSink, read by the sink operator"),
          Map.entry(
              "internal.graph.ExchangeMode", "chosen by the API, used by repartition writers"),
          Map.entry("internal.graph.Plan", "checked at build(), read by the runtime"),
          Map.entry("internal.graph.PlanSerdes", "runtime and driver configure the plan's serdes"),
          Map.entry("internal.graph.SubTopology", "the unit tasks are created for"),
          Map.entry("internal.graph.TopologyAccess", "the facade's way to a Topology's plan"),
          // The settings, read once from WeirConfig by the facade and the test driver.
          Map.entry("internal.config.Settings", "the parsed configuration the runtime reads"),
          Map.entry("internal.config.ConfigKeys", "key names, shared with WeirConfig"),
          // The runtime's doors for the facade (dev.weir).
          Map.entry("internal.runtime.ApplicationRuntime", "WeirApplication starts and stops it"),
          Map.entry("internal.runtime.RuntimeState", "mapped to ApplicationState by the facade"),
          Map.entry("internal.runtime.FailureResponse", "mapped from ThreadFailureResponse"),
          Map.entry("internal.runtime.KafkaClients", "the facade adapts KafkaClientSupplier"),
          Map.entry("internal.runtime.TaskAssignor", "the consumer instantiates it by class name"),
          Map.entry("internal.runtime.RuntimeStatus", "the status server reads the instance"),
          Map.entry("internal.status.StatusServer", "the facade starts and stops it"),
          // The runtime's parts the test driver shares, so both run pipelines the same way.
          Map.entry("internal.runtime.CommitOrder", "the driver commits in the runtime's order"),
          Map.entry("internal.runtime.RuntimeMetrics", "the driver reports the same metrics"),
          Map.entry("internal.driver.DriverCore", "WeirTestDriver runs pipelines on it"),
          // The task runtime's doors for the stream threads and the test driver.
          Map.entry("internal.task.TaskBuilder", "builds tasks (translating the plan)"),
          Map.entry("internal.task.StreamTask", "run by stream threads and the driver"),
          Map.entry("internal.task.TaskContext", "per-task services given by the caller"),
          Map.entry("internal.task.TaskId", "names tasks in assignment and state"),
          Map.entry("internal.task.TaskState", "opened and restored by the runtime"),
          Map.entry("internal.task.TaskMetrics", "counters summed by the runtime"),
          Map.entry("internal.task.OwnerCounter", "two of those counters, read by the runtime"),
          Map.entry("internal.task.ThreadMetrics", "the runtime and the driver register them"),
          // Metrics: one catalogue and registry, read by the facade, the runtime and the tasks.
          Map.entry("internal.metrics.MetricCatalogue", "names for the runtime, tasks, docs"),
          Map.entry("internal.metrics.MetricRegistries", "the runtime and the driver build one"),
          Map.entry("internal.metrics.InstanceMetrics", "registered by the runtime"),
          Map.entry("internal.metrics.TaskMetricScope", "tasks register through it"),
          Map.entry("internal.metrics.CatalogueTable", "renders the docs table (a test checks)"),
          Map.entry("internal.task.TaskWatermarks", "read by the runtime's event-time reporter"),
          Map.entry("internal.task.RecordCollector", "implemented by the thread's producer"),
          Map.entry("internal.task.ErrorHandling", "built from the settings by the caller"),
          Map.entry("internal.task.StaleStateGuard", "built at set-up from changelog retention"),
          Map.entry("internal.runtime.QueryableTasks", "the facade and the driver answer queries"),
          Map.entry("internal.task.CommittedReads", "queries read task state in its layout"));

  @Test
  void internalPackagesArePackagePrivateExceptTheListedTypes() {
    TreeSet<String> actual = new TreeSet<>();
    for (JavaClass c : LibraryClasses.MAIN) {
      if (c.getPackageName().startsWith("dev.weir.internal.")
          && c.isTopLevelClass()
          && c.getModifiers().contains(JavaModifier.PUBLIC)) {
        actual.add(c.getName().substring("dev.weir.".length()));
      }
    }
    assertThat(actual).isEqualTo(new TreeSet<>(PUBLIC_INTERNAL_TYPES.keySet()));
  }
}
