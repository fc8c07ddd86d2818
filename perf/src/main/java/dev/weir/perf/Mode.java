package dev.weir.perf;

/** The processing guarantee a contender runs with. */
enum Mode {
  /** Exactly-once: Kafka transactions, read_committed. */
  EOS("eos"),
  /** At-least-once: no transactions, offsets committed after outputs are acknowledged. */
  ALOS("alos");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static Mode of(String label) {
    for (Mode m : values()) {
      if (m.label.equalsIgnoreCase(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown mode '" + label + "' (eos or alos)");
  }
}
