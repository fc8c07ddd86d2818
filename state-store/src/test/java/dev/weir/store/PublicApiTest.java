package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The split between the SPI package and the internal package is checked, not hoped for. */
class PublicApiTest {
  private static final String INTERNAL = "dev.weir.store.internal";

  @Test
  void publicSignaturesNeverMentionInternalTypes() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : classesOf("dev.weir.store")) {
      if (!Modifier.isPublic(type.getModifiers())) {
        continue;
      }
      List<Type> exposed = new ArrayList<>();
      exposed.add(type.getGenericSuperclass());
      exposed.addAll(List.of(type.getGenericInterfaces()));
      for (Method method : type.getDeclaredMethods()) {
        if (visible(method.getModifiers())) {
          exposed.add(method.getGenericReturnType());
          addSignature(method, exposed);
        }
      }
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        if (visible(constructor.getModifiers())) {
          addSignature(constructor, exposed);
        }
      }
      for (Field field : type.getDeclaredFields()) {
        if (visible(field.getModifiers())) {
          exposed.add(field.getGenericType());
        }
      }
      for (Type t : exposed) {
        if (t != null && t.getTypeName().contains(INTERNAL)) {
          leaks.add(type.getSimpleName() + " exposes " + t.getTypeName());
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void theOnlyPublicInternalTypeIsTheDoorFromTheSpi() throws Exception {
    List<String> publicInternals = new ArrayList<>();
    for (Class<?> type : classesOf(INTERNAL)) {
      if (Modifier.isPublic(type.getModifiers())) {
        publicInternals.add(type.getSimpleName());
      }
    }
    assertThat(publicInternals).containsExactly("StoreInternals");
  }

  @Test
  void publicTypesAreInterfacesOrFinalOrExceptions() throws Exception {
    for (Class<?> type : classesOf("dev.weir.store")) {
      if (Modifier.isPublic(type.getModifiers())
          && !type.isInterface()
          && !Throwable.class.isAssignableFrom(type)) {
        assertThat(Modifier.isFinal(type.getModifiers())).as(type.getName()).isTrue();
      }
    }
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void addSignature(Executable executable, List<Type> exposed) {
    exposed.addAll(List.of(executable.getGenericParameterTypes()));
    exposed.addAll(List.of(executable.getGenericExceptionTypes()));
  }

  private static List<Class<?>> classesOf(String packageName)
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root =
        Path.of(KeyValueStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path directory = root.resolve(packageName.replace('.', '/'));
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String simpleName = file.getFileName().toString().replace(".class", "");
        if (!simpleName.equals("package-info")) {
          classes.add(Class.forName(packageName + "." + simpleName));
        }
      }
    }
    assertThat(classes).as("classes found in " + directory).isNotEmpty();
    return classes;
  }
}
