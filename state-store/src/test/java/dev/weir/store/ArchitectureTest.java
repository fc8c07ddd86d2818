package dev.weir.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.weir.store.internal.StoreInternals;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The split between the SPI package {@code dev.weir.store} and the implementations in {@code
 * dev.weir.store.internal}: the SPI never shows an internal type, the implementations are
 * package-private behind one door ({@link StoreInternals}), and the packages form no cycle other
 * than through that door.
 */
class ArchitectureTest {
  private static final String INTERNAL = "dev.weir.store.internal";

  /** The module's own main classes (not its tests, nor the library's {@code dev.weir} classes). */
  private static final JavaClasses CLASSES = importMain();

  private static JavaClasses importMain() {
    try {
      Path classes =
          Path.of(KeyValueStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return new ClassFileImporter().importPath(classes);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean internal(JavaClass c) {
    return c.getPackageName().startsWith(INTERNAL);
  }

  private static boolean spi(JavaClass owner) {
    return owner.getPackageName().equals("dev.weir.store")
        && owner.getModifiers().contains(JavaModifier.PUBLIC);
  }

  /**
   * One slice per package. The public factories ({@code StateBackends}, {@code
   * TransactionalTaskState.wrap}) call the door, and the implementations behind it implement the
   * SPI: that one edge is the designed way in, so it is the only dependency the rule ignores.
   */
  @Test
  void packagesAreFreeOfCyclesExceptThroughTheDoor() {
    SliceAssignment packages =
        new SliceAssignment() {
          @Override
          public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("dev.weir.store")
                ? SliceIdentifier.of(c.getPackageName())
                : SliceIdentifier.ignore();
          }

          @Override
          public String getDescription() {
            return "the state store's packages";
          }
        };
    slices()
        .assignedFrom(packages)
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            DescribedPredicate.<JavaClass>alwaysTrue(),
            JavaClass.Predicates.equivalentTo(StoreInternals.class))
        .check(CLASSES);
  }

  @Test
  void theSpiReachesTheImplementationsOnlyThroughTheDoor() {
    classes()
        .that()
        .resideInAPackage("dev.weir.store")
        .should()
        .onlyDependOnClassesThat(
            DescribedPredicate.describe(
                "are not in " + INTERNAL + " or are StoreInternals",
                c -> !internal(c) || c.isEquivalentTo(StoreInternals.class)))
        .check(CLASSES);
  }

  @Test
  void publicSignaturesNeverMentionInternalTypes() {
    codeUnits()
        .that()
        .arePublic()
        .or()
        .areProtected()
        .should(
            new ArchCondition<JavaCodeUnit>("not expose internal types") {
              @Override
              public void check(JavaCodeUnit unit, ConditionEvents events) {
                if (!spi(unit.getOwner())) {
                  return;
                }
                unit.getAllInvolvedRawTypes().stream()
                    .filter(ArchitectureTest::internal)
                    .forEach(
                        t ->
                            events.add(
                                SimpleConditionEvent.violated(
                                    unit, unit.getFullName() + " exposes " + t.getName())));
              }
            })
        .check(CLASSES);
  }

  @Test
  void publicFieldsNeverHaveInternalTypes() {
    fields()
        .that()
        .arePublic()
        .should(
            new ArchCondition<JavaField>("not have internal types") {
              @Override
              public void check(JavaField f, ConditionEvents events) {
                if (spi(f.getOwner())
                    && f.getType().getAllInvolvedRawTypes().stream()
                        .anyMatch(ArchitectureTest::internal)) {
                  events.add(SimpleConditionEvent.violated(f, f.getFullName() + " is internal"));
                }
              }
            })
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void theOnlyPublicInternalTypeIsTheDoorFromTheSpi() {
    classes()
        .that()
        .resideInAPackage(INTERNAL)
        .and()
        .arePublic()
        .should()
        .haveFullyQualifiedName(StoreInternals.class.getName())
        .check(CLASSES);
  }

  @Test
  void publicSpiTypesAreInterfacesOrFinalOrExceptions() {
    classes()
        .that()
        .resideInAPackage("dev.weir.store")
        .and()
        .arePublic()
        .and()
        .areNotInterfaces()
        .and()
        .areNotAssignableTo(Throwable.class)
        .should()
        .haveModifier(JavaModifier.FINAL)
        .check(CLASSES);
  }
}
