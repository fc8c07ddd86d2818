package dev.weir.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the file sink's finished part files back ({@code --sink file}) into a verifier: every line
 * is one output, its key the text before the first ':'. Hidden files (in progress, pending) are not
 * output.
 */
final class FileOutput {
  private FileOutput() {}

  /**
   * Feeds every line of every finished file under {@code dir} to {@code check}.
   *
   * @param dir the file sink's base path
   * @param check a fresh verifier for the run's workload
   * @return its verdict
   * @throws IOException when the files cannot be read
   */
  static Verifier.Verdict verify(Path dir, Verifier check) throws IOException {
    if (!Files.isDirectory(dir)) {
      return check.verdict();
    }
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files =
          all.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    }
    for (int f = 0; f < files.size(); f++) {
      List<String> lines = Files.readAllLines(files.get(f), StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        int colon = line.indexOf(':');
        check.accept(f, i, colon < 0 ? null : line.substring(0, colon), line);
      }
    }
    return check.verdict();
  }
}
