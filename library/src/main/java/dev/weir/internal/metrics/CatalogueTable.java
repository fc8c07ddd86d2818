package dev.weir.internal.metrics;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders {@link MetricCatalogue} as the Markdown table in {@code docs/operations.md}, between the
 * markers {@link #START} and {@link #END}. A test compares the two and can rewrite the file.
 */
public final class CatalogueTable {
  /** The line before the generated table. */
  public static final String START =
      "<!-- metric table: generated from MetricCatalogue by CatalogueTable; do not edit -->";

  /** The line after the generated table. */
  public static final String END = "<!-- end of metric table -->";

  private CatalogueTable() {}

  /**
   * Renders the table, one row per metric, in catalogue order.
   *
   * @return the Markdown lines between the markers, each ending with a newline
   */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| JMX type (group) | name | tags | meaning |\n");
    out.append("|---|---|---|---|\n");
    for (MetricCatalogue.Def d : MetricCatalogue.all()) {
      out.append("| `")
          .append(d.group())
          .append("` | `")
          .append(d.name())
          .append("` | ")
          .append(tags(d.tags()))
          .append(" | ")
          .append(d.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String tags(List<String> tags) {
    return tags.stream().map(t -> "`" + t + "`").collect(Collectors.joining(", "));
  }

  /**
   * Replaces the table between the markers in {@code document}.
   *
   * @param document the whole Markdown document; must hold both markers
   * @return the document with the current table
   * @throws IllegalArgumentException when a marker is missing
   */
  public static String replaceIn(String document) {
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "The document lacks the markers '" + START + "' and '" + END + "'");
    }
    int from = start + START.length() + 1;
    return document.substring(0, from) + markdown() + document.substring(end);
  }
}
