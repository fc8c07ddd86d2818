package dev.weir.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this JVM is, and the numeric ids of the user the server runs as when it is root. */
final class RunAsUser {

  private RunAsUser() {}

  /**
   * Whether this process runs as root.
   *
   * @return true for effective uid 0 ({@code /proc/self} is owned by the effective uid)
   */
  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * Looks a user up in {@code /etc/passwd}.
   *
   * @param name the user name
   * @return {uid, gid}
   * @throws IllegalStateException when the user does not exist or is root
   */
  static int[] lookUp(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals(name)) {
          int uid = Integer.parseInt(f[2]);
          if (uid == 0) {
            break;
          }
          return new int[] {uid, Integer.parseInt(f[3])};
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read /etc/passwd to find user " + name, e);
    }
    throw new IllegalStateException(
        "the tests run as root, and PostgreSQL refuses root, so the embedded server runs as user '"
            + name
            + "', which /etc/passwd does not list as a non-root user. Create it (useradd -r "
            + name
            + "), name another with -D"
            + PostgresServer.RUN_AS_PROPERTY
            + "=user, or point the tests at a server of your own with -D"
            + PostgresServer.URL_PROPERTY);
  }
}
