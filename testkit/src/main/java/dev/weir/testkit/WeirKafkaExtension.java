package dev.weir.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link WeirKafka}. Clusters live in JUnit's extension store: in the store of
 * the annotated class's context (closed after that class), or for shared clusters in the root
 * context's store (closed at the end of the run), keyed by broker count. They are started lazily,
 * at the first place that needs one, so that constructor injection works under every test instance
 * lifecycle.
 */
final class WeirKafkaExtension
    implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(WeirKafkaExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    inject(testClass, null, field -> Modifier.isStatic(field.getModifiers()), context);
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
    inject(
        testInstance.getClass(),
        testInstance,
        field -> !Modifier.isStatic(field.getModifiers()),
        context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return KafkaCluster.class.isAssignableFrom(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    KafkaCluster cluster = cluster(context);
    if (!type.isInstance(cluster)) {
      throw new ParameterResolutionException(
          "parameter "
              + parameter.getParameter()
              + " wants a "
              + type.getName()
              + " but this run's cluster is a "
              + cluster.getClass().getName());
    }
    return cluster;
  }

  private void inject(
      Class<?> type, Object instance, Predicate<Field> kind, ExtensionContext context) {
    List<Field> fields =
        ReflectionSupport.findFields(
            type,
            kind.and(f -> KafkaCluster.class.isAssignableFrom(f.getType()))
                .and(f -> !Modifier.isFinal(f.getModifiers())),
            HierarchyTraversalMode.TOP_DOWN);
    for (Field field : fields) {
      try {
        field.setAccessible(true);
        if (field.get(instance) != null) {
          continue;
        }
        KafkaCluster cluster = cluster(context);
        if (!field.getType().isInstance(cluster)) {
          throw new ExtensionConfigurationException(
              "field "
                  + field
                  + " wants a "
                  + field.getType().getName()
                  + " but this run's cluster is a "
                  + cluster.getClass().getName());
        }
        field.set(instance, cluster);
      } catch (IllegalAccessException e) {
        throw new ExtensionConfigurationException(
            "cannot inject the Kafka cluster into " + field, e);
      }
    }
  }

  private static KafkaCluster cluster(ExtensionContext context) {
    Annotated annotated = findAnnotation(context.getRequiredTestClass());
    int brokers = annotated.settings().brokers();
    if (annotated.settings().shared()) {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent("shared-" + brokers, key -> start(brokers), ClusterResource.class)
          .cluster;
    }
    return classContext(context, annotated.type())
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("class-" + brokers, key -> start(brokers), ClusterResource.class)
        .cluster;
  }

  private static ClusterResource start(int brokers) {
    return new ClusterResource(KafkaClusters.create(brokers));
  }

  /** The annotation, looked up on the class (and its superclasses), then its enclosing classes. */
  private static Annotated findAnnotation(Class<?> testClass) {
    for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
      Optional<WeirKafka> found = AnnotationSupport.findAnnotation(type, WeirKafka.class);
      if (found.isPresent()) {
        return new Annotated(type, found.get());
      }
    }
    throw new ExtensionConfigurationException(
        testClass.getName() + " uses the Weir Kafka extension without @WeirKafka");
  }

  private static ExtensionContext classContext(ExtensionContext context, Class<?> annotatedClass) {
    for (Optional<ExtensionContext> current = Optional.of(context);
        current.isPresent();
        current = current.get().getParent()) {
      if (current.get().getElement().filter(annotatedClass::equals).isPresent()) {
        return current.get();
      }
    }
    // Not below the annotated class's context (should not happen): fall back to the nearest
    // class-level context, so the cluster is still closed after the class.
    return context;
  }

  private record Annotated(Class<?> type, WeirKafka settings) {}

  /** Closes the cluster when JUnit closes the store that holds it. */
  private static final class ClusterResource implements ExtensionContext.Store.CloseableResource {
    final KafkaCluster cluster;

    ClusterResource(KafkaCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public void close() {
      cluster.close();
    }
  }
}
