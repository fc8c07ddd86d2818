package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.sink.file.FileSink;
import dev.weir.sink.file.SimpleStringEncoder;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W1 (parse, drop ~10%, enrich) written to Kafka only versus through the exactly-once file sink,
 * same data set, same broker, exactly-once, one stream thread, alternating runs: {@code java -cp
 * ... dev.weir.perf.FileSinkThroughput [records] [rounds]}. Prints records/s (input records
 * consumed and committed, from start to the group's committed offsets reaching the end) and checks
 * that the files hold exactly the kept records. A measurement to quote with the machine's load, not
 * a test.
 */
public final class FileSinkThroughput {
  private FileSinkThroughput() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path work = Files.createTempDirectory("weir-filesink-perf");
    Dataset data = new Dataset(records, 10_000, 8, Dataset.defaultT0());
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1);
        Topics topics = new Topics(kafka.bootstrapServers())) {
      String bs = kafka.bootstrapServers();
      topics.create(8, "w1-in", "w1-out");
      Loader.load(bs, "w1-in", data);
      System.out.printf("loaded %d W1 records (%d kept)%n", records, data.w1Kept());
      for (int r = 0; r < rounds; r++) {
        double k = run(bs, topics, work, "kafka-" + r, null, records);
        Path dir = work.resolve("files-" + r);
        double f = run(bs, topics, work, "files-" + r, dir, records);
        long lines = lines(dir);
        System.out.printf(
            "round %d: kafka-only %.0f records/s, file sink %.0f records/s (ratio %.2f); files"
                + " hold %d lines, %s%n",
            r,
            k,
            f,
            f / k,
            lines,
            lines == data.w1Kept() ? "as expected" : "EXPECTED " + data.w1Kept());
      }
    }
  }

  private static double run(String bs, Topics topics, Path work, String id, Path files, int records)
      throws Exception {
    StreamBuilder b = new StreamBuilder();
    DataStream<Event> kept =
        b.fromSource(KafkaSource.topic("w1-in", Serdes.String()), "input")
            .map(Event::parse)
            .name("parse")
            .filter(Event::keep)
            .name("keep");
    if (files == null) {
      kept.map(e -> KeyValue.of(e.key(), e.enrich()))
          .name("enrich")
          .sinkTo(KafkaSink.keyValues("w1-out", Serdes.String(), Serdes.String()));
    } else {
      kept.map(Event::enrich)
          .name("enrich")
          .sinkTo(
              FileSink.forRowFormat(files.toString(), new SimpleStringEncoder<String>()).build())
          .uid("files");
    }
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, "w1-" + id);
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
    p.put(WeirConfig.STATE_DIR_CONFIG, work.resolve("state-" + id).toString());
    long start = System.nanoTime();
    try (WeirApplication app = new WeirApplication(b.build(), p)) {
      app.start();
      long deadline = start + Duration.ofMinutes(20).toNanos();
      while (topics.committed("w1-" + id, "w1-in") < records) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(id + " did not finish in 20 minutes");
        }
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return records / seconds;
    }
  }

  private static long lines(Path dir) throws IOException {
    long n = 0;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().startsWith(".")) {
          try (Stream<String> l = Files.lines(f)) {
            n += l.count();
          }
        }
      }
    }
    return n;
  }
}
