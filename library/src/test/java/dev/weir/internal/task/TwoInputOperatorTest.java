package dev.weir.internal.task;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.weir.functions.CoFlatMapFunction;
import dev.weir.functions.CoMapFunction;
import dev.weir.functions.CoProcessFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.ProcessFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A two-input operator's inputs are emitters of the operator's own class: upstream calls reach
 * {@code process1} and {@code process2} through a call site that sees one operator class, never
 * through one method reference shared by every two-input operator.
 */
class TwoInputOperatorTest {
  private final List<String> seen = new ArrayList<>();

  @Test
  void inputZeroReachesProcess1AndInputOneProcess2() throws Exception {
    TwoInputOperator<String, String> op =
        CoOperators.map(new Tag()).create("op", seen::add, t -> v -> {});
    input(op, 0).emit("a");
    input(op, 1).emit("b");
    op.firstInput().emit("c");
    op.secondInput().emit("d");
    assertThat(seen).containsExactly("1:a", "2:b", "1:c", "2:d");
  }

  @Test
  void aTwoInputOperatorHasNoThirdInput() {
    TwoInputOperator<String, String> op =
        CoOperators.map(new Tag()).create("op", seen::add, t -> v -> {});
    assertThat(op.inputCount()).isEqualTo(2);
    assertThatThrownBy(() -> op.input(2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("no input 2");
  }

  @Test
  void eachOperatorClassHasEmitterClassesOfItsOwn() {
    List<TwoInputOperator<String, String>> ops =
        List.of(
            CoOperators.map(new Tag()).create("map", seen::add, t -> v -> {}),
            CoOperators.<String, String, String>flatMap(new FlatTag())
                .create("flatMap", seen::add, t -> v -> {}),
            CoOperators.<String, String, String>process(new ProcessTag())
                .create("process", seen::add, t -> v -> {}),
            new BothInputsOperator("both", seen::add));
    Set<Class<?>> emitterClasses = new HashSet<>();
    for (TwoInputOperator<String, String> op : ops) {
      emitterClasses.add(op.input(0).getClass());
      emitterClasses.add(op.input(1).getClass());
    }
    assertThat(emitterClasses).hasSize(2 * ops.size()); // no class shared between two call sites
    TwoInputOperator<String, String> again =
        CoOperators.map(new Tag()).create("map2", seen::add, t -> v -> {});
    assertThat(again.input(0).getClass()).isSameAs(ops.get(0).input(0).getClass());
  }

  @Test
  void everyConcreteTwoInputOperatorIsFinalOrAnonymous() {
    // A subclass would inherit its parent's emitters, whose call sites would then see two classes.
    classes()
        .that()
        .areAssignableTo(TwoInputOperator.class)
        .and()
        .doNotHaveModifier(JavaModifier.ABSTRACT)
        .and()
        .areNotAnonymousClasses()
        .should()
        .haveModifier(JavaModifier.FINAL)
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.weir.internal.task"));
  }

  @SuppressWarnings("unchecked")
  private static Emitter<String> input(StreamOperator op, int index) {
    return (Emitter<String>) op.input(index);
  }

  /** Tags each record with the input it arrived at. */
  private static final class Tag implements CoMapFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String map1(String value) {
      return "1:" + value;
    }

    @Override
    public String map2(String value) {
      return "2:" + value;
    }
  }

  private static final class FlatTag implements CoFlatMapFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap1(String value, Collector<String> out) {
      out.collect("1:" + value);
    }

    @Override
    public void flatMap2(String value, Collector<String> out) {
      out.collect("2:" + value);
    }
  }

  private static final class ProcessTag extends CoProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement1(String value, ProcessFunction.Context ctx, Collector<String> out) {
      out.collect("1:" + value);
    }

    @Override
    public void processElement2(String value, ProcessFunction.Context ctx, Collector<String> out) {
      out.collect("2:" + value);
    }
  }
}
