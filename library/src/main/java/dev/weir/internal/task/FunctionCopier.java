package dev.weir.internal.task;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Gives each task its own copy of a user function, the way Flink ships functions to parallel
 * instances: by Java serialisation of the function object. This keeps one task's mutable function
 * fields away from another's. It is never used for records or state.
 */
final class FunctionCopier {
  private FunctionCopier() {}

  public static <F> F copy(F function, String operator) {
    byte[] bytes;
    try (ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ObjectOutputStream out = new ObjectOutputStream(bos)) {
      out.writeObject(function);
      out.flush();
      bytes = bos.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Operator '"
              + operator
              + "': its function "
              + function.getClass().getName()
              + " cannot be copied for each task ("
              + e
              + "). Make every field Serializable, or mark non-serialisable fields transient and"
              + " create them in open() (extend AbstractRichFunction)."
              + capturedOuterHint(function),
          e);
    }
    ClassLoader loader = function.getClass().getClassLoader();
    try (ObjectInputStream in =
        new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
      @SuppressWarnings("unchecked")
      F copy = (F) in.readObject();
      return copy;
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(
          "Operator '" + operator + "': copying its function failed: " + e, e);
    }
  }

  private static String capturedOuterHint(Object function) {
    Class<?> c = function.getClass();
    boolean inner =
        c.isAnonymousClass()
            || (c.isMemberClass() && !java.lang.reflect.Modifier.isStatic(c.getModifiers()))
            || c.isLocalClass();
    return inner
        ? " Anonymous and inner classes capture the enclosing object; use a static nested or"
            + " top-level class, or a lambda."
        : "";
  }

  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
