package dev.weir.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Which package may use which: the API packages describe pipelines and never reach the runtime; the
 * graph they build depends on nothing but the public leaf packages and Kafka; one translator turns
 * the graph into operators, and only the runtime and the test driver call it.
 */
class LayeringTest {
  /** The packages users program against. */
  static final String[] API = {
    "dev.weir",
    "dev.weir.stream",
    "dev.weir.functions",
    "dev.weir.windowing",
    "dev.weir.state",
    "dev.weir.eventtime",
    "dev.weir.errors"
  };

  /** The packages that run pipelines (and the translator that feeds them). */
  static final String[] RUNTIME = {
    "dev.weir.internal.task..",
    "dev.weir.internal.runtime..",
    "dev.weir.internal.state..",
    "dev.weir.internal.time..",
    "dev.weir.internal.driver..",
    "dev.weir.internal.translate.."
  };

  @Test
  void apiPackagesDoNotDependOnRuntimeInternals() {
    noClasses()
        .that()
        .resideInAnyPackage(API)
        // The one door: the application facade starts the runtime (checked below).
        .and()
        .doNotHaveFullyQualifiedName("dev.weir.WeirApplication")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(RUNTIME)
        .check(LibraryClasses.MAIN);
  }

  @Test
  void theApplicationFacadeReachesTheRuntimeOnlyThroughInternalRuntime() {
    noClasses()
        .that()
        .haveFullyQualifiedName("dev.weir.WeirApplication")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.weir.internal.task..",
            "dev.weir.internal.state..",
            "dev.weir.internal.time..",
            "dev.weir.internal.driver..",
            "dev.weir.internal.translate..")
        .check(LibraryClasses.MAIN);
  }

  @Test
  void theGraphDependsOnlyOnPublicLeafPackagesAndKafka() {
    classes()
        .that()
        .resideInAPackage("dev.weir.internal.graph")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.weir.internal.graph",
            "dev.weir.functions",
            "dev.weir.windowing",
            "dev.weir.state",
            "dev.weir.eventtime",
            "dev.weir.errors",
            "org.apache.kafka..",
            "org.slf4j",
            "java..")
        .check(LibraryClasses.MAIN);
  }

  @Test
  void onlyTheRuntimeAndTheTestDriverTranslate() {
    classes()
        .that()
        .resideInAPackage("dev.weir.internal.translate")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage(
            "dev.weir.internal.translate", "dev.weir.internal.runtime", "dev.weir.internal.driver")
        .check(LibraryClasses.MAIN);
  }

  /**
   * Every public top-level type of the graph and the translator, with the reason it is public. A
   * new public type there needs a line here; one no longer needed fails until removed.
   */
  static final Map<String, String> PUBLIC_GRAPH_TYPES =
      Map.ofEntries(
          Map.entry("internal.graph.Transformation", "API classes hold nodes; tasks walk them"),
          Map.entry("internal.graph.SourceTransformation", "created by the API, read by tasks"),
          Map.entry("internal.graph.OneInputTransformation", "created by the API, translated"),
          Map.entry("internal.graph.PartitionTransformation", "created by the API, run by tasks"),
          Map.entry(
              "internal.graph.SideOutputTransformation", "created by the API, wired by tasks"),
          Map.entry("internal.graph.SinkTransformation", "created by the API, run by tasks"),
          Map.entry("internal.graph.UnionTransformation", "created by the API, wired by tasks"),
          Map.entry("internal.graph.OperatorSpec", "recorded by the API, read by the translator"),
          Map.entry("internal.graph.SourceSpec", "held by KafkaSource, read by tasks and runtime"),
          Map.entry("internal.graph.SinkSpec", "held by KafkaSink, read by the sink operator"),
          Map.entry(
              "internal.graph.ExchangeMode", "chosen by the API, used by repartition writers"),
          Map.entry("internal.graph.Plan", "checked at build(), read by the runtime"),
          Map.entry(
              "internal.graph.PlanSerdes",
              "configures a plan's topic serdes; called by the runtime and the test driver"),
          Map.entry("internal.graph.SubTopology", "the unit tasks are created for"),
          Map.entry("internal.graph.TopologyAccess", "the runtime's way to a Topology's plan"),
          Map.entry("internal.translate.Translator", "called by the runtime and the test driver"));

  @Test
  void publicTypesOfTheGraphAndTheTranslatorAreTheListedOnes() {
    TreeSet<String> actual = new TreeSet<>();
    for (JavaClass c : LibraryClasses.MAIN) {
      String pkg = c.getPackageName();
      if ((pkg.equals("dev.weir.internal.graph") || pkg.equals("dev.weir.internal.translate"))
          && c.isTopLevelClass()
          && c.getModifiers().contains(JavaModifier.PUBLIC)) {
        actual.add(c.getName().substring("dev.weir.".length()));
      }
    }
    assertThat(actual).isEqualTo(new TreeSet<>(new TreeMap<>(PUBLIC_GRAPH_TYPES).keySet()));
  }
}
