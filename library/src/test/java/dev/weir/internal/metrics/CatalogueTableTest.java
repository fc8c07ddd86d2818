package dev.weir.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/operations.md's metric table is the catalogue's. */
class CatalogueTableTest {
  private static final Path DOC = Path.of("..", "docs", "operations.md");
  private static final String REGENERATE = "weir.metrics.regenerate";

  @Test
  void theOperationsGuideListsEveryMetricOfTheCatalogue() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String current = CatalogueTable.replaceIn(doc);
    if (Boolean.getBoolean(REGENERATE)) {
      Files.writeString(DOC, current, StandardCharsets.UTF_8);
      return;
    }
    assertThat(table(doc))
        .as(
            "docs/operations.md's metric table differs from MetricCatalogue. Regenerate it with"
                + " mvn -o -q -pl library -am test -Dtest=CatalogueTableTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -D"
                + REGENERATE
                + "=true")
        .isEqualTo(table(current));
  }

  private static String table(String doc) {
    return doc.substring(
        doc.indexOf(CatalogueTable.START),
        doc.indexOf(CatalogueTable.END) + CatalogueTable.END.length());
  }

  @Test
  void namesAreUniqueWithinAGroupAndTagsStartWithTheClientId() {
    Set<String> seen = new HashSet<>();
    for (MetricCatalogue.Def d : MetricCatalogue.all()) {
      assertThat(seen.add(d.group() + "/" + d.name())).as(d.toString()).isTrue();
      assertThat(d.tags().get(0)).isEqualTo(MetricCatalogue.CLIENT_ID);
      assertThat(d.name()).matches("[a-z0-9-]+");
      assertThat(d.description()).isNotBlank();
    }
  }
}
