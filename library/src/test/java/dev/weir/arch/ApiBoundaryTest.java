package dev.weir.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/** The public API never exposes a type from an internal package. */
class ApiBoundaryTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.weir");

  private static boolean internal(JavaClass c) {
    return c.getPackageName().contains(".internal");
  }

  private static boolean api(JavaClass owner) {
    return !internal(owner) && owner.getModifiers().contains(JavaModifier.PUBLIC);
  }

  @Test
  void publicSignaturesUseNoInternalTypes() {
    codeUnits()
        .that()
        .arePublic()
        .or()
        .areProtected()
        .should(
            new ArchCondition<JavaCodeUnit>("not expose internal types") {
              @Override
              public void check(JavaCodeUnit unit, ConditionEvents events) {
                if (!api(unit.getOwner())) {
                  return;
                }
                unit.getAllInvolvedRawTypes().stream()
                    .filter(ApiBoundaryTest::internal)
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
  void publicFieldsUseNoInternalTypes() {
    fields()
        .that()
        .arePublic()
        .should(
            new ArchCondition<JavaField>("not expose internal types") {
              @Override
              public void check(JavaField f, ConditionEvents events) {
                if (api(f.getOwner()) && internal(f.getRawType())) {
                  events.add(SimpleConditionEvent.violated(f, f.getFullName() + " is internal"));
                }
              }
            })
        .allowEmptyShould(true)
        .check(CLASSES);
  }
}
