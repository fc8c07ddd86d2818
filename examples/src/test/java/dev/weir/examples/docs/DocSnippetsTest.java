package dev.weir.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java code in the user guide identical to compiled, tested sources. Every {@code java}
 * block in {@code README.md} and {@code docs/*.md} must follow a marker {@code <!-- snippet:
 * path/to/Source.java#name -->} naming a region of a source file between the comments {@code //
 * [docs:name]} and {@code // [/docs:name]}; the block must equal that region (common indentation
 * and nested markers removed).
 *
 * <p>After changing a source, rewrite the blocks with {@code mvn -o test -pl
 * state-store,library,serde,testkit,examples -Dtest=DocSnippetsTest -Dweir.docs.update=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DocSnippetsTest {
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");
  private static final Pattern FILE_MARKER = Pattern.compile("<!-- file: \\S+ -->");
  private static final Pattern REGION = Pattern.compile("// \\[/?docs:[A-Za-z0-9-]+]");
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void everyJavaBlockOfTheGuideIsARegionOfACompiledSource() throws IOException {
    assertThat(ROOT.resolve("pom.xml")).as("run from the examples module").exists();
    boolean update = Boolean.getBoolean("weir.docs.update");
    List<String> problems = new ArrayList<>();
    int snippets = 0;
    for (Path doc : docs()) {
      List<String> lines = Files.readAllLines(doc);
      List<String> out = new ArrayList<>();
      boolean changed = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        out.add(line);
        String where = ROOT.relativize(doc) + ":" + (i + 1);
        Matcher m = MARKER.matcher(line.trim());
        // A block marked "file:" is a whole file that .ci/getting-started.sh writes into an empty
        // project, compiles and runs; that script is its test.
        boolean scriptFile = i > 0 && FILE_MARKER.matcher(lines.get(i - 1).trim()).matches();
        if (line.trim().startsWith("```java") && !scriptFile) {
          problems.add(where + ": a java block without a snippet marker above it");
        }
        if (!m.matches()) {
          continue;
        }
        snippets++;
        if (i + 1 >= lines.size() || !lines.get(i + 1).trim().equals("```java")) {
          problems.add(where + ": a snippet marker must be followed by a ```java line");
          continue;
        }
        out.add(lines.get(++i));
        List<String> block = new ArrayList<>();
        while (i + 1 < lines.size() && !lines.get(i + 1).trim().equals("```")) {
          block.add(lines.get(++i));
        }
        List<String> region;
        try {
          region = region(ROOT.resolve(m.group(1)), m.group(2));
        } catch (IllegalArgumentException | IOException e) {
          problems.add(where + ": " + e.getMessage());
          out.addAll(block);
          continue;
        }
        if (!block.equals(region)) {
          if (update) {
            changed = true;
          } else {
            problems.add(where + ": differs from " + m.group(1) + "#" + m.group(2));
          }
        }
        out.addAll(update ? region : block);
      }
      if (changed) {
        Files.write(doc, out);
      }
    }
    assertThat(snippets).isPositive();
    assertThat(problems)
        .as("rewrite the blocks from the sources with -Dweir.docs.update=true")
        .isEmpty();
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The lines between the region's markers, without nested markers and common indentation. */
  static List<String> region(Path source, String name) throws IOException {
    if (!Files.exists(source)) {
      throw new IllegalArgumentException("no file " + ROOT.relativize(source));
    }
    List<String> lines = Files.readAllLines(source);
    int begin = lines.indexOf(indentOf(lines, "// [docs:" + name + "]"));
    int end = lines.indexOf(indentOf(lines, "// [/docs:" + name + "]"));
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("no region '" + name + "' in " + ROOT.relativize(source));
    }
    List<String> region = new ArrayList<>();
    for (String line : lines.subList(begin + 1, end)) {
      if (!REGION.matcher(line.trim()).matches()) {
        region.add(line);
      }
    }
    int indent = Integer.MAX_VALUE;
    for (String line : region) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String line : region) {
      out.add(line.isBlank() ? "" : line.substring(indent));
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static String indentOf(List<String> lines, String marker) {
    for (String line : lines) {
      if (line.trim().equals(marker)) {
        return line;
      }
    }
    return marker;
  }
}
