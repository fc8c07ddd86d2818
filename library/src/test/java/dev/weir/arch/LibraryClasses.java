package dev.weir.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.weir.WeirApplication;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The library's main classes, imported once for every architecture test. Only the module's own
 * output directory is imported (not {@code dev.weir.store} from the state-store jar, nor tests), so
 * package rules see exactly the library's packages.
 */
final class LibraryClasses {
  static final JavaClasses MAIN = importMain();

  private LibraryClasses() {}

  private static JavaClasses importMain() {
    try {
      Path classes =
          Path.of(
              WeirApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return new ClassFileImporter().importPath(classes);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
