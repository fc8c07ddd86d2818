package dev.weir.examples.demo;

import java.util.List;

/**
 * The demo's topics. Each run uses its own, so runs against a shared Kafka never see each other's
 * data.
 *
 * @param readings sensor readings, written by the demo's generator
 * @param averages window averages, written by the pipeline
 * @param alerts rising-temperature alerts, written by the pipeline
 * @param late readings too late for their window, written by the pipeline
 */
public record DemoTopics(String readings, String averages, String alerts, String late) {
  /**
   * Names the topics of one run.
   *
   * @param run the run's id
   * @return the topics {@code weir-demo-<run>-readings} and so on
   */
  public static DemoTopics forRun(String run) {
    String p = "weir-demo-" + run + "-";
    return new DemoTopics(p + "readings", p + "averages", p + "alerts", p + "late-readings");
  }

  /**
   * Lists the topics.
   *
   * @return all four topics, readings first
   */
  public List<String> all() {
    return List.of(readings, averages, alerts, late);
  }

  /**
   * Lists the topics the pipeline writes.
   *
   * @return averages, alerts and late readings
   */
  public List<String> outputs() {
    return List.of(averages, alerts, late);
  }
}
