package dev.weir.examples.queries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.query.HostInfo;
import dev.weir.query.KeyQueryMetadata;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import dev.weir.stream.KeyValue;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.WeirTestDriver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the example, over the test driver's queries: local answers, redirects to the
 * hosting instance, 404 and 503.
 */
class CountServerTest {
  private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8080);

  @Test
  void answersLocallyRedirectsElsewhereAndAsksForARetryWhileRestoring() throws Exception {
    try (WeirTestDriver driver = new WeirTestDriver(ClickCounts.topology("clicks", "counts"));
        CountServer server = CountServer.start(new InetSocketAddress("127.0.0.1", 0))) {
      TestInputTopic<String, String> clicks =
          driver.createInputTopic("clicks", new StringSerializer(), new StringSerializer());
      clicks.pipeInput("alice", "/a", 0L);
      clicks.pipeInput("alice", "/b", 0L);
      clicks.pipeInput("carol", "/a", 0L);
      ReadOnlyKeyedState<String, Long> counts =
          driver.query(StateQuery.value(ClickCounts.UID, ClickCounts.COUNT, Serdes.String()));
      HostInfo self = new HostInfo("127.0.0.1", server.port());
      server.serve(
          self,
          new CountServer.Counts() {
            @Override
            public KeyQueryMetadata metadata(String user) {
              HostInfo host = user.equals("bob") ? OTHER : self;
              return new KeyQueryMetadata(Optional.of(host), Set.of(), 0);
            }

            @Override
            public Long count(String user) {
              if (user.equals("carol")) {
                throw new StateQueryException(
                    StateQueryException.Reason.RESTORING, ClickCounts.UID, "count", 0, "restoring");
              }
              // The driver is single-threaded; the server's threads take turns.
              synchronized (driver) {
                return counts.get(user);
              }
            }
          });

      assertThat(get(server, "alice")).isEqualTo(KeyValue.of(200, "2"));
      assertThat(get(server, "dave")).isEqualTo(KeyValue.of(404, "no clicks by dave"));
      assertThat(get(server, "carol")).isEqualTo(KeyValue.of(503, "RESTORING: restoring"));
      HttpResponse<String> bob = send(server, "bob");
      assertThat(bob.statusCode()).isEqualTo(307);
      assertThat(bob.headers().firstValue("Location")).hasValue("http://10.0.0.2:8080/count/bob");
    }
  }

  private static KeyValue<Integer, String> get(CountServer server, String user) throws Exception {
    HttpResponse<String> r = send(server, user);
    return KeyValue.of(r.statusCode(), r.body());
  }

  private static HttpResponse<String> send(CountServer server, String user) throws Exception {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/count/" + user))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
