package dev.weir.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

/**
 * Which package may use which: the API packages describe pipelines and never reach the runtime; the
 * graph they build depends on nothing but the public leaf packages and Kafka; one translator turns
 * the graph into operators inside the task package, and only the runtime and the test driver build
 * tasks. No internal class uses the facade package {@code dev.weir}.
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
    "dev.weir.errors",
    "dev.weir.sink",
    "dev.weir.sink.file"
  };

  /** The application facade and the classes nested in it. */
  static final String FACADE = "dev\\.weir\\.WeirApplication(\\$.*)?";

  /** The packages that run pipelines (and the translator that feeds them). */
  static final String[] RUNTIME = {
    "dev.weir.internal.task..", "dev.weir.internal.runtime..", "dev.weir.internal.driver.."
  };

  @Test
  void apiPackagesDoNotDependOnRuntimeInternals() {
    noClasses()
        .that()
        .resideInAnyPackage(API)
        // The one door: the application facade (with its nested adapters) starts the runtime.
        .and()
        .haveNameNotMatching(FACADE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(RUNTIME)
        .check(LibraryClasses.MAIN);
  }

  @Test
  void theApplicationFacadeReachesTheRuntimeOnlyThroughInternalRuntime() {
    noClasses()
        .that()
        .haveNameMatching(FACADE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.weir.internal.task..", "dev.weir.internal.driver..")
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
            // The two-phase-commit SPI: a spec holds the user's sink like it holds a function.
            "dev.weir.sink",
            "org.apache.kafka..",
            "org.slf4j",
            "java..")
        .check(LibraryClasses.MAIN);
  }

  @Test
  void onlyTheRuntimeAndTheTestDriverBuildTasks() {
    // The translator is package-private in internal.task; TaskBuilder.forPlan is its one door.
    classes()
        .that()
        .resideInAPackage("dev.weir.internal.task")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage(
            "dev.weir.internal.task", "dev.weir.internal.runtime", "dev.weir.internal.driver")
        .check(LibraryClasses.MAIN);
  }

  @Test
  void noInternalClassUsesTheFacadePackage() {
    // The facade reads WeirConfig into Settings and maps the runtime's enums and client factory,
    // so dev.weir -> internal is one-way (design record 008).
    noClasses()
        .that()
        .resideInAPackage("dev.weir.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.weir")
        .check(LibraryClasses.MAIN);
  }

  @Test
  void theSettingsDependOnlyOnKafkaConfig() {
    classes()
        .that()
        .resideInAPackage("dev.weir.internal.config")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.weir.internal.config", "org.apache.kafka.common.config", "java..")
        .check(LibraryClasses.MAIN);
  }
}
