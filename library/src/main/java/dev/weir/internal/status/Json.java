package dev.weir.internal.status;

/**
 * A minimal JSON writer for the status server's documents: the caller writes structure in order,
 * this class places commas and escapes strings. Not thread-safe; one per response.
 */
final class Json {
  private final StringBuilder out = new StringBuilder();
  // Whether the next value in the innermost open object or array needs a comma before it.
  private boolean comma;

  Json beginObject() {
    separate();
    out.append('{');
    comma = false;
    return this;
  }

  Json endObject() {
    out.append('}');
    comma = true;
    return this;
  }

  Json beginArray() {
    separate();
    out.append('[');
    comma = false;
    return this;
  }

  Json endArray() {
    out.append(']');
    comma = true;
    return this;
  }

  /** Writes a member's name; its value follows. */
  Json name(String name) {
    separate();
    string(name);
    out.append(':');
    comma = false;
    return this;
  }

  Json value(String s) {
    separate();
    if (s == null) {
      out.append("null");
    } else {
      string(s);
    }
    comma = true;
    return this;
  }

  /** A number, or null. */
  Json value(Number n) {
    separate();
    if (n == null
        || (n instanceof Double d && (d.isNaN() || d.isInfinite()))
        || (n instanceof Float f && (f.isNaN() || f.isInfinite()))) {
      out.append("null"); // JSON has no NaN or infinity
    } else {
      out.append(n);
    }
    comma = true;
    return this;
  }

  Json value(boolean b) {
    separate();
    out.append(b);
    comma = true;
    return this;
  }

  Json field(String name, String v) {
    return name(name).value(v);
  }

  Json field(String name, Number v) {
    return name(name).value(v);
  }

  Json field(String name, boolean v) {
    return name(name).value(v);
  }

  private void separate() {
    if (comma) {
      out.append(',');
      comma = false;
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Below 0x20 must be escaped; '<' too, so a topic name cannot close a script element.
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
