package dev.weir.it;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.functions.ResultFuture;
import dev.weir.functions.RichAsyncFunction;
import dev.weir.stream.AsyncDataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.JavaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One instance of an async enrichment pipeline in its own JVM, for {@link AsyncCrashIT}: in
 * ("key:seq") -> orderedWait(HTTP lookup of the seq, capacity 20) -> out ("key:seq:room"), keyed by
 * key. Arguments: bootstrap, application id, state dir, input topic, output topic, service URL.
 */
public final class AsyncEnrichMain {
  private AsyncEnrichMain() {}

  /** Asks the test's HTTP service for the room of each record, with the JDK's async client. */
  static final class HttpLookup extends RichAsyncFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private final String url;
    private transient HttpClient client;

    HttpLookup(String url) {
      this.url = url;
    }

    @Override
    public void open() {
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public void asyncInvoke(String record, ResultFuture<String> result) {
      String seq = record.substring(record.indexOf(':') + 1);
      client
          .sendAsync(
              HttpRequest.newBuilder(URI.create(url + seq)).GET().build(),
              HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, error) -> {
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(List.of(record + ":" + response.body()));
                }
              });
    }
  }

  static Topology topology(String in, String out, String serviceUrl) {
    StreamBuilder b = new StreamBuilder();
    AsyncDataStream.orderedWait(
            b.fromSource(KafkaSource.topic(in, Serdes.String()), "in"),
            new HttpLookup(serviceUrl),
            30,
            TimeUnit.SECONDS,
            20)
        .name("enrich")
        .sinkTo(
            KafkaSink.topic(out, Serdes.String())
                .withKey(v -> v.substring(0, v.indexOf(':')), Serdes.String()));
    return b.build();
  }

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    WeirApplication app =
        new WeirApplication(
            topology(args[3], args[4], args[5]),
            Pipelines.appProps(args[0], args[1], Path.of(args[2])));
    CountDownLatch stopped = new CountDownLatch(1);
    app.setStateListener(
        (now, before) -> {
          System.out.println("STATE " + now);
          if (now.isTerminal()) {
            stopped.countDown();
          }
        });
    Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    app.start();
    stopped.await();
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }
}
