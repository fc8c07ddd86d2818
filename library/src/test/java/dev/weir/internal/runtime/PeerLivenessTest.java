package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peer liveness (design record 021): the rules of {@link PeerLiveness.Tracker}, the ring, the wire
 * fields, and two instances' listeners and watchers talking over real loopback sockets, with a
 * clock the test moves.
 */
class PeerLivenessTest {
  private static final long TIMEOUT = 1_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<PeerLiveness> started = new ArrayList<>();
  private final List<List<String>> removals = new CopyOnWriteArrayList<>();
  private final AtomicInteger rejoins = new AtomicInteger();
  private final List<String> joinsHeard = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() {
    started.forEach(PeerLiveness::close);
  }

  // ---- rules ----

  @Test
  void aPeerSeenAliveWhoseConnectionsFailForTheTimeoutIsRemovedOnce() {
    PeerLiveness.Tracker t = new PeerLiveness.Tracker(TIMEOUT);
    t.alive();
    t.failed(100);
    t.failed(600);
    assertThat(t.shouldRemove(1_099)).isFalse();
    assertThat(t.shouldRemove(1_100)).isTrue();
    t.removed();
    assertThat(t.shouldRemove(5_000)).as("once").isFalse();
    t.alive();
    t.failed(6_000);
    assertThat(t.shouldRemove(7_000)).as("again once it ran again").isTrue();
  }

  @Test
  void anAcceptedConnectionResetsTheFailureClock() {
    PeerLiveness.Tracker t = new PeerLiveness.Tracker(TIMEOUT);
    t.alive();
    t.failed(0);
    t.connected(); // a paused process: its port still accepts
    t.failed(900);
    assertThat(t.shouldRemove(1_500)).isFalse();
    assertThat(t.shouldRemove(1_900)).isTrue();
  }

  @Test
  void aPeerThatSaidItIsLeavingOrWasNeverReachedIsNotRemoved() {
    PeerLiveness.Tracker leaving = new PeerLiveness.Tracker(TIMEOUT);
    leaving.alive();
    leaving.leaving();
    leaving.failed(0);
    assertThat(leaving.shouldRemove(1_000_000)).isFalse();
    leaving.alive(); // back: watched again
    leaving.failed(2_000_000);
    assertThat(leaving.shouldRemove(2_001_000)).isTrue();

    PeerLiveness.Tracker never = new PeerLiveness.Tracker(TIMEOUT);
    never.failed(0);
    assertThat(never.shouldRemove(1_000_000)).isFalse();
  }

  @Test
  void aMemberRejoinsForAJoinNoticeOnlyIfItIsNeitherJoiningNorPastItsGeneration() {
    assertThat(PeerLiveness.rejoinsFor(5, false, 5)).as("same generation").isTrue();
    assertThat(PeerLiveness.rejoinsFor(5, false, 4)).as("behind").isTrue();
    assertThat(PeerLiveness.rejoinsFor(5, false, 6)).as("a late notice").isFalse();
    assertThat(PeerLiveness.rejoinsFor(5, true, 5)).as("joining already").isFalse();
    assertThat(PeerLiveness.rejoinsFor(-1, false, 5)).as("a new member").isFalse();
    assertThat(PeerLiveness.rejoinsFor(5, false, -1)).as("never assigned").isFalse();
  }

  @Test
  void eachInstanceWatchesItsSuccessorsOnTheRing() {
    List<PeerLiveness.Peer> five = new ArrayList<>();
    for (String ep : List.of("h:5", "h:1", "h:4", "h:2", "h:3")) {
      five.add(new PeerLiveness.Peer(ep, "i" + ep, List.of("g" + ep)));
    }
    assertThat(endpoints(PeerLiveness.successors("h:4", five, 3)))
        .containsExactly("h:5", "h:1", "h:2");
    assertThat(endpoints(PeerLiveness.successors("h:1", five, 3)))
        .containsExactly("h:2", "h:3", "h:4");
    assertThat(endpoints(PeerLiveness.successors("h:2", five.subList(0, 4), 3)))
        .containsExactly("h:4", "h:5", "h:1");
    assertThat(endpoints(PeerLiveness.successors("h:1", five.subList(1, 2), 3))).isEmpty();
    assertThat(PeerLiveness.successors("h:9", five, 3)).as("not in the ring").isEmpty();
  }

  private static List<String> endpoints(List<PeerLiveness.Peer> peers) {
    return peers.stream().map(PeerLiveness.Peer::endpoint).toList();
  }

  // ---- wire ----

  @Test
  void theLeaderSendsEveryMemberTheStaticMembersOfEachListener() {
    AssignorContext a = context("inst-a", "127.0.0.1:7001");
    AssignorContext b = context("inst-b", "127.0.0.1:7002");
    AssignorContext dynamic = context("inst-c", "127.0.0.1:7003");
    TaskAssignor.MemberInfo ma = decode("m-a", a);
    TaskAssignor.MemberInfo mb = decode("m-b", b);
    TaskAssignor.MemberInfo mc = decode("m-c", dynamic);
    assertThat(ma.livenessEndpoint()).isEqualTo("127.0.0.1:7001");

    Map<String, Subscription> subs =
        Map.of(
            "m-a", subscription("app-a-0"),
            "m-b", subscription("app-b-0"),
            "m-c", subscription(null));
    List<PeerLiveness.Peer> peers = TaskAssignor.peers(List.of(ma, mb, mc), subs);
    assertThat(peers)
        .containsExactly(
            new PeerLiveness.Peer("127.0.0.1:7001", "inst-a", List.of("app-a-0")),
            new PeerLiveness.Peer("127.0.0.1:7002", "inst-b", List.of("app-b-0")));

    List<List<PeerLiveness.Peer>> told = new ArrayList<>();
    b.peersListener = told::add;
    TaskAssignor reader = new TaskAssignor();
    reader.configure(Map.of(AssignorContext.CONFIG_KEY, b));
    reader.onAssignment(new Assignment(List.of(), assignment(peers)), null);
    assertThat(told).containsExactly(peers);
  }

  @Test
  void aMemberWithoutAListenerSendsNoneAndAnOlderAssignmentTellsNoPeers() {
    AssignorContext a = context("inst-a", null);
    assertThat(decode("m-a", a).livenessEndpoint()).isNull();
    List<List<PeerLiveness.Peer>> told = new ArrayList<>();
    a.peersListener = told::add;
    TaskAssignor reader = new TaskAssignor();
    reader.configure(Map.of(AssignorContext.CONFIG_KEY, a));
    reader.onAssignment(new Assignment(List.of(), assignment(List.of())), null);
    assertThat(told).as("an empty list").containsExactly(List.of());

    // What a leader that predates the peer list writes: the same without its last four bytes.
    ByteBuffer full = assignment(List.of());
    ByteBuffer older = full.duplicate().limit(full.limit() - 4).slice();
    reader.onAssignment(new Assignment(List.of(), older), null);
    assertThat(told).as("nothing more told").hasSize(1);
  }

  /** A version-3 assignment with no tasks and these peers. */
  private static ByteBuffer assignment(List<PeerLiveness.Peer> peers) {
    return TaskAssignor.AssignmentMessage.of(TaskAssignor.ERROR_NONE, List.of(), "fp")
        .withPeers(peers)
        .encode();
  }

  private static AssignorContext context(String instance, String endpoint) {
    AssignorContext c = new AssignorContext(null, instance, 0, new AtomicBoolean(), "fp");
    c.livenessEndpoint = endpoint;
    return c;
  }

  private static TaskAssignor.MemberInfo decode(String memberId, AssignorContext c) {
    TaskAssignor a = new TaskAssignor();
    a.configure(Map.of(AssignorContext.CONFIG_KEY, c));
    return TaskAssignor.decodeSubscription(memberId, a.subscriptionUserData(Set.of()));
  }

  private static Subscription subscription(String groupInstanceId) {
    Subscription s = new Subscription(List.of("in"), null, List.of());
    // What the coordinator fills in for the leader.
    s.setGroupInstanceId(Optional.ofNullable(groupInstanceId));
    return s;
  }

  // ---- sockets ----

  private PeerLiveness start(String name) throws Exception {
    PeerLiveness l =
        new PeerLiveness(
            name,
            "127.0.0.1:0",
            TIMEOUT,
            ids -> removals.add(ids),
            rejoins::incrementAndGet,
            (generation, peer) -> joinsHeard.add(name + " heard " + generation),
            clock::get);
    started.add(l);
    return l;
  }

  private static PeerLiveness.Peer peer(PeerLiveness l, String id) {
    return new PeerLiveness.Peer(l.endpoint(), id, List.of(id + "-0", id + "-1"));
  }

  /** Waits until the watcher has decided twice more: once may have started before the change. */
  private static void awaitDecisions(PeerLiveness l) {
    long seen = l.checks();
    await().atMost(Duration.ofSeconds(20)).until(() -> l.checks() >= seen + 2);
  }

  private static void awaitFailing(PeerLiveness watcher, PeerLiveness watched) {
    await().atMost(Duration.ofSeconds(20)).until(() -> watcher.failing(watched.endpoint()));
  }

  @Test
  void aKilledPeerIsRemovedOnceItsPortRefusedForTheTimeout() throws Exception {
    PeerLiveness a = start("a");
    PeerLiveness b = start("b");
    List<PeerLiveness.Peer> both = List.of(peer(a, "a"), peer(b, "b"));
    a.peers(both);
    b.peers(both);
    awaitDecisions(a); // connected and read b's first byte

    b.close(); // as kill -9 closes its sockets: no notice
    awaitFailing(a, b); // the connection ended and reconnecting was refused
    awaitDecisions(a);
    assertThat(removals).as("not before the timeout").isEmpty();
    clock.addAndGet(TIMEOUT);
    await().atMost(Duration.ofSeconds(20)).until(() -> !removals.isEmpty());
    assertThat(removals).containsExactly(List.of("b-0", "b-1"));
    assertThat(a.removedPeers()).isEqualTo(1);
    assertThat(rejoins).hasValue(1);

    clock.addAndGet(10 * TIMEOUT);
    awaitDecisions(a);
    assertThat(removals).as("removed once").hasSize(1);
  }

  @Test
  void aJoinIsAnnouncedBothWaysOncePerGeneration() throws Exception {
    PeerLiveness a = start("a");
    PeerLiveness b = start("b");
    PeerLiveness c = start("c");
    // Three instances: each watches the other two, so each is connected to both, both ways.
    List<PeerLiveness.Peer> all = List.of(peer(a, "a"), peer(b, "b"), peer(c, "c"));
    a.peers(all);
    b.peers(all);
    c.peers(all);
    awaitDecisions(a);
    awaitDecisions(b);
    awaitDecisions(c);

    a.joining(7);
    a.joining(7); // a second thread of the same instance: said once
    // b and c each hear it on two connections (as a watcher of a, and as watched by a).
    await().atMost(Duration.ofSeconds(20)).until(() -> joinsHeard.size() == 4);
    assertThat(joinsHeard)
        .containsExactlyInAnyOrder("b heard 7", "b heard 7", "c heard 7", "c heard 7");
    a.joining(8);
    await().atMost(Duration.ofSeconds(20)).until(() -> joinsHeard.size() == 8);
    assertThat(joinsHeard).filteredOn(h -> h.endsWith(" 8")).hasSize(4);
    assertThat(joinsHeard).noneMatch(h -> h.startsWith("a "));
  }

  @Test
  void aPeerThatClosesOnPurposeIsNotRemoved() throws Exception {
    PeerLiveness a = start("a");
    PeerLiveness b = start("b");
    List<PeerLiveness.Peer> both = List.of(peer(a, "a"), peer(b, "b"));
    a.peers(both);
    b.peers(both);
    awaitDecisions(a);

    b.leaving();
    b.close();
    awaitFailing(a, b);
    clock.addAndGet(100 * TIMEOUT);
    awaitDecisions(a);
    assertThat(removals).isEmpty();
    assertThat(a.removedPeers()).isZero();
  }

  @Test
  void aPausedPeerWhosePortStillAcceptsIsNotRemoved() throws Exception {
    PeerLiveness a = start("a");
    // A process that said it runs, then froze (a long pause): it writes nothing more and accepts
    // no connection itself, but its kernel still completes new connections into the backlog.
    try (ServerSocket frozen = new ServerSocket()) {
      frozen.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      Thread once =
          new Thread(
              () -> {
                try {
                  java.net.Socket s = frozen.accept();
                  s.getOutputStream().write(PeerLiveness.ALIVE);
                  s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                  // the test ended
                }
              });
      once.setDaemon(true);
      once.start();
      String ep = "127.0.0.1:" + frozen.getLocalPort();
      a.peers(List.of(peer(a, "a"), new PeerLiveness.Peer(ep, "frozen", List.of("frozen-0"))));
      once.join(20_000);
      awaitDecisions(a); // the silence ended the first connection; the next was accepted
      clock.addAndGet(100 * TIMEOUT);
      awaitDecisions(a);
      assertThat(removals).isEmpty();
    }
  }

  @Test
  void aPeerNoLongerInTheAssignmentIsNoLongerWatched() throws Exception {
    PeerLiveness a = start("a");
    PeerLiveness b = start("b");
    PeerLiveness c = start("c");
    a.peers(List.of(peer(a, "a"), peer(b, "b")));
    awaitDecisions(a);
    assertThat(a.watched()).containsExactly(b.endpoint());

    // b left the group and c joined; then b dies without a notice, which would get it removed if
    // anything still watched it.
    a.peers(List.of(peer(a, "a"), peer(c, "c")));
    assertThat(a.watched()).containsExactly(c.endpoint());
    b.close();
    awaitDecisions(a);
    awaitDecisions(a);
    clock.addAndGet(100 * TIMEOUT);
    awaitDecisions(a);
    awaitDecisions(a);
    assertThat(removals).isEmpty();
    assertThat(a.failing(b.endpoint())).isFalse();
  }
}
