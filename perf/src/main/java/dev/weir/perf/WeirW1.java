package dev.weir.perf;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/** W1 on Weir: parse, filter, enrich, write keyed by the event's key. */
final class WeirW1 implements Contender {
  private WeirApplication app;

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    StreamBuilder b = new StreamBuilder();
    List<String> in = spec.inputs();
    b.fromSource(
            KafkaSource.topic(
                in.get(0), Serdes.String(), in.subList(1, in.size()).toArray(String[]::new)),
            "input")
        .map(Event::parse)
        .name("parse")
        .filter(Event::keep)
        .name("keep")
        .map(e -> KeyValue.of(e.key(), e.enrich()))
        .name("enrich")
        .sinkTo(KafkaSink.keyValues(spec.output(), Serdes.String(), Serdes.String()));
    app = new WeirApplication(b.build(), properties(spec));
    reportFailures(app, status);
    app.start();
  }

  /** Puts {@code failed} into the status when the application goes to ERROR. */
  static void reportFailures(WeirApplication app, StatusFile status) {
    app.setStateListener(
        (now, before) -> {
          if (now == ApplicationState.ERROR || now == ApplicationState.PENDING_ERROR) {
            status.put("failed", "Weir application entered " + now);
          }
        });
  }

  /**
   * The environment variable that adds settings to every Weir contender, for experiments: {@code
   * key=value} pairs separated by {@code ;}. The harness prints it in the run's header; unset in
   * every published run unless the run says otherwise.
   */
  static final String EXTRA_CONFIG_ENV = "PERF_WEIR_CONFIG";

  /**
   * The settings every Weir contender uses: defaults except ids, guarantee and threads, plus those
   * of {@link #EXTRA_CONFIG_ENV} if set.
   */
  static Properties properties(ContenderSpec spec) {
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, spec.appId());
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap());
    p.put(WeirConfig.STATE_DIR_CONFIG, spec.stateDir().toString());
    p.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, spec.threads());
    p.put(
        WeirConfig.PROCESSING_GUARANTEE_CONFIG,
        spec.exactlyOnce() ? WeirConfig.EXACTLY_ONCE : WeirConfig.AT_LEAST_ONCE);
    p.putAll(extraConfig(System.getenv(EXTRA_CONFIG_ENV)));
    return p;
  }

  /** Parses {@code k=v;k=v} ({@link ExtraSettings#parse}); null or blank gives nothing. */
  static Map<String, String> extraConfig(String spec) {
    return ExtraSettings.parse(EXTRA_CONFIG_ENV, spec);
  }

  @Override
  public void stop() {
    if (app != null) {
      app.close(Duration.ofSeconds(30));
    }
  }
}
