package dev.weir.internal.runtime;

import dev.weir.query.HostInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer failure detection (design record 021): notices that another instance of the application died
 * within {@code liveness.timeout.ms} instead of the group's session timeout, and removes its static
 * members from the consumer group so that its tasks move at once.
 *
 * <p>Each instance listens on {@code liveness.listener}. A peer that connects gets one byte at once
 * and one every {@link #tickMs} after: {@link #ALIVE}, or {@link #LEAVING} once the instance is
 * closing on purpose (a restart with static membership, which must move no task). Each instance
 * holds a connection to up to {@link #WATCHED} peers, its successors on the ring of listener
 * addresses, so the load grows with the number of instances, not its square.
 *
 * <p>What counts as dead is what the operating system says, not silence: a connection that ends
 * without {@link #LEAVING} and then connections refused (or not answered: a dead host) for the
 * whole timeout. A peer that stops writing but whose port still accepts connections (a paused JVM,
 * a long garbage collection) is left to the session timeout, as before; so is a peer that was never
 * reached (a firewall), which is logged once. A removal is made once per peer until it is seen
 * alive again. A wrong removal (a network partition between instances that both reach Kafka) costs
 * a rebalance, never correctness: the removed instance's transactions are fenced by the tasks' new
 * owners (design record 017) and it rejoins as a new member.
 */
final class PeerLiveness implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerLiveness.class);

  /** The byte an instance that runs sends its watchers. */
  static final int ALIVE = 'A';

  /** The byte an instance closing on purpose sends: it will be back within the session timeout. */
  static final int LEAVING = 'R';

  /**
   * The byte, followed by a big-endian int generation, that an instance sends both ways on every
   * liveness connection when one of its members joins the group: the receivers rejoin at once
   * instead of at their next heartbeat.
   */
  static final int JOINING = 'J';

  /** How many successors on the ring each instance watches. */
  static final int WATCHED = 3;

  /** Another instance, as the group leader's assignment lists it. */
  record Peer(String endpoint, String instanceId, List<String> groupInstanceIds) {
    Peer {
      groupInstanceIds = List.copyOf(groupInstanceIds);
    }
  }

  /** Told that a peer is joining the group. */
  interface JoinListener {
    /**
     * @param generation the generation the peer leaves
     * @param peer the peer's listener address, or the remote address of a watcher
     */
    void peerJoining(int generation, String peer);
  }

  /** Removes static members from the application's consumer group (the admin API). */
  interface Remover {
    /**
     * Removes the members; members that are already gone are not an error.
     *
     * @param groupInstanceIds the members' {@code group.instance.id}s
     * @throws Exception when the removal failed
     */
    void remove(List<String> groupInstanceIds) throws Exception;
  }

  /**
   * What one watcher knows of its peer; pure, so that the rules are tested without sockets. Times
   * are milliseconds of one clock.
   */
  static final class Tracker {
    private final long timeoutMs;
    private boolean seenAlive;
    private boolean removed;
    private boolean leftOnPurpose;
    private volatile long failingSince = -1;

    /**
     * @param timeoutMs how long connections must fail before the peer counts as dead
     */
    Tracker(long timeoutMs) {
      this.timeoutMs = timeoutMs;
    }

    /** The peer said it runs. */
    void alive() {
      seenAlive = true;
      removed = false;
      leftOnPurpose = false;
      failingSince = -1;
    }

    /**
     * The peer said it is closing on purpose: it is never removed until it runs again. If it does
     * not come back, the session timeout removes it, as without liveness; if it comes back at
     * another address, removing its old one would remove the new incarnation's members.
     */
    void leaving() {
      failingSince = -1;
      leftOnPurpose = true;
    }

    /** A connection was accepted: the process holds its port, even if it does not write. */
    void connected() {
      failingSince = -1;
    }

    /** A connection was refused or not answered. */
    void failed(long now) {
      if (failingSince < 0) {
        failingSince = now;
      }
    }

    /** Whether the peer is to be removed now. */
    boolean shouldRemove(long now) {
      return seenAlive
          && !removed
          && failingSince >= 0
          && now - failingSince >= timeoutMs
          && !leftOnPurpose;
    }

    /** The peer was removed (or its removal failed): not again until it is seen alive. */
    void removed() {
      removed = true;
    }

    boolean seenAlive() {
      return seenAlive;
    }

    long failingSince() {
      return failingSince;
    }
  }

  /**
   * Whether a member rejoins when a peer announces a join leaving {@code peerGeneration}: only if
   * it is not joining already and has not moved past that generation (a late notice), and both
   * generations are real (a member that has never been assigned has nothing to hasten).
   */
  static boolean rejoinsFor(int peerGeneration, boolean rebalancing, int ownGeneration) {
    return peerGeneration >= 0
        && !rebalancing
        && ownGeneration >= 0
        && ownGeneration <= peerGeneration;
  }

  /**
   * The peers an instance watches: its {@code count} successors on the ring of endpoints in their
   * natural order, never itself. An instance missing from the ring watches nobody.
   */
  static List<Peer> successors(String self, List<Peer> peers, int count) {
    TreeMap<String, Peer> ring = new TreeMap<>();
    peers.forEach(p -> ring.put(p.endpoint(), p));
    if (!ring.containsKey(self)) {
      return List.of();
    }
    List<Peer> out = new ArrayList<>();
    String at = self;
    while (out.size() < Math.min(count, ring.size() - 1)) {
      Map.Entry<String, Peer> next = ring.higherEntry(at);
      if (next == null) {
        next = ring.firstEntry();
      }
      out.add(next.getValue());
      at = next.getKey();
    }
    return out;
  }

  private final String applicationId;
  private final long timeoutMs;
  private final long tickMs;
  private final Remover remover;
  private final Runnable afterRemoval;
  private final JoinListener joins;
  private int lastJoinAnnounced = Integer.MIN_VALUE;
  private final LongSupplier clock;
  private final ServerSocket server;
  private final String endpoint;
  private final List<Socket> watchers = new CopyOnWriteArrayList<>();
  private final Map<String, Watch> watches = new HashMap<>();
  private final AtomicLong removedPeers = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();
  private final Thread acceptor;
  private final Thread ticker;
  private volatile int say = ALIVE;
  private volatile boolean running = true;

  /**
   * Opens the listener and starts answering; watching starts with the first {@link #peers}.
   *
   * @param applicationId for thread names and logs
   * @param listener {@code host:port} to listen on; port 0 picks a free one (see {@link #endpoint})
   * @param timeoutMs {@code liveness.timeout.ms}
   * @param remover removes a dead peer's members
   * @param afterRemoval run after a removal (the stream threads rejoin at once)
   * @param joins told when a peer joins the group
   * @param clock milliseconds
   * @throws IOException when the listener cannot be opened
   */
  PeerLiveness(
      String applicationId,
      String listener,
      long timeoutMs,
      Remover remover,
      Runnable afterRemoval,
      JoinListener joins,
      LongSupplier clock)
      throws IOException {
    this.applicationId = applicationId;
    this.timeoutMs = timeoutMs;
    this.tickMs = Math.max(10, timeoutMs / 4);
    this.remover = remover;
    this.afterRemoval = afterRemoval;
    this.joins = joins;
    this.clock = clock;
    int colon = listener.lastIndexOf(':');
    String host = listener.substring(0, colon);
    int port = Integer.parseInt(listener.substring(colon + 1));
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    this.endpoint = host + ":" + server.getLocalPort();
    this.acceptor = daemon(applicationId + "-liveness-listener", this::accept);
    this.ticker = daemon(applicationId + "-liveness-ticker", this::tick);
    acceptor.start();
    ticker.start();
    LOG.info(
        "Peer liveness: listening on {}; a watched instance whose connections fail for {} ms is"
            + " removed from the group",
        endpoint,
        timeoutMs);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** This instance's listener, {@code host:port} with the port bound; sent to the group leader. */
  String endpoint() {
    return endpoint;
  }

  /**
   * How many times a watcher has heard from its peer or decided about it; for tests, to await a
   * step.
   */
  long checks() {
    return checks.get();
  }

  /** The endpoints this instance watches now; for tests. */
  synchronized Set<String> watched() {
    return Set.copyOf(watches.keySet());
  }

  /** Whether the watcher of {@code endpoint} sees its connections fail now; for tests. */
  synchronized boolean failing(String endpoint) {
    Watch w = watches.get(endpoint);
    return w != null && w.tracker.failingSince() >= 0;
  }

  /** Peers removed from the group by this instance so far. */
  long removedPeers() {
    return removedPeers.get();
  }

  /**
   * The peers of the latest assignment, this instance included; any thread. Watches of peers that
   * stay keep what they know.
   */
  synchronized void peers(List<Peer> all) {
    if (!running) {
      return;
    }
    Map<String, Peer> next = new HashMap<>();
    successors(endpoint, all, WATCHED).forEach(p -> next.put(p.endpoint(), p));
    watches
        .entrySet()
        .removeIf(
            e -> {
              if (next.containsKey(e.getKey())) {
                return false;
              }
              e.getValue().stop();
              return true;
            });
    next.forEach(
        (ep, p) -> {
          Watch w = watches.get(ep);
          if (w == null) {
            w = new Watch(p);
            watches.put(ep, w);
            w.thread.start();
          } else {
            w.peer = p;
          }
        });
  }

  /**
   * Tells the watchers this instance is closing on purpose, so that they do not remove it while it
   * restarts; the listener stays open until {@link #close}.
   */
  void leaving() {
    say = LEAVING;
    for (Socket s : watchers) {
      send(s, new byte[] {(byte) LEAVING});
    }
  }

  /**
   * One of this instance's members is joining the group, leaving {@code generation}: tells every
   * connected peer (watchers and watched), once per generation.
   */
  void joining(int generation) {
    synchronized (this) {
      if (!running || generation == lastJoinAnnounced) {
        return;
      }
      lastJoinAnnounced = generation;
    }
    byte[] msg = joinMessage(generation);
    for (Socket s : watchers) {
      send(s, msg);
    }
    List<Watch> ws;
    synchronized (this) {
      ws = new ArrayList<>(watches.values());
    }
    for (Watch w : ws) {
      Socket s = w.socket;
      if (s != null && !write(s, msg)) {
        closeQuietly(s); // the watch reconnects by itself
      }
    }
  }

  private static byte[] joinMessage(int generation) {
    return java.nio.ByteBuffer.allocate(5).put((byte) JOINING).putInt(generation).array();
  }

  /** Reads {@link #JOINING}'s generation; -1 if the connection ended. */
  private static int readGeneration(InputStream in) throws IOException {
    int g = 0;
    for (int i = 0; i < 4; i++) {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      g = (g << 8) | b;
    }
    return g;
  }

  /** Stops watching and closes the listener and every connection, as a killed process would. */
  @Override
  public void close() {
    synchronized (this) {
      running = false;
      watches.values().forEach(Watch::stop);
      watches.clear();
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("Closing the liveness listener", e);
    }
    for (Socket s : watchers) {
      closeQuietly(s);
    }
    watchers.clear();
    acceptor.interrupt();
    ticker.interrupt();
  }

  private void accept() {
    while (running) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        watchers.add(s);
        send(s, new byte[] {(byte) say});
        Thread reader =
            daemon(
                applicationId + "-liveness-watcher-" + s.getRemoteSocketAddress(),
                () -> readWatcher(s));
        reader.start();
      } catch (IOException e) {
        if (running) {
          LOG.warn("Liveness listener {}: accept failed", endpoint, e);
        }
      }
    }
  }

  /** Reads what a watcher sends: join notices. */
  private void readWatcher(Socket s) {
    try {
      InputStream in = s.getInputStream();
      while (running) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        if (b == JOINING) {
          int g = readGeneration(in);
          if (g < 0) {
            break;
          }
          joins.peerJoining(g, String.valueOf(s.getRemoteSocketAddress()));
        }
      }
    } catch (IOException e) {
      // the watcher went away
    }
    watchers.remove(s);
    closeQuietly(s);
  }

  private void tick() {
    while (running) {
      byte[] b = {(byte) say};
      for (Socket s : watchers) {
        send(s, b);
      }
      try {
        Thread.sleep(tickMs);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Writes to a watcher; one that went away is dropped. */
  private void send(Socket s, byte[] b) {
    if (!write(s, b)) {
      watchers.remove(s);
      closeQuietly(s);
    }
  }

  /** Writes the bytes whole (writers of one socket take turns); false when the socket failed. */
  private static boolean write(Socket s, byte[] b) {
    try {
      OutputStream out = s.getOutputStream();
      synchronized (s) {
        out.write(b);
        out.flush();
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** One watched peer: a thread holding a connection to its listener. */
  private final class Watch {
    final Thread thread;
    final Tracker tracker = new Tracker(timeoutMs);
    volatile Peer peer;
    volatile boolean stopped;
    volatile Socket socket;
    boolean unreachableLogged;

    Watch(Peer peer) {
      this.peer = peer;
      this.thread = daemon(applicationId + "-liveness-watch-" + peer.endpoint(), this::run);
    }

    void stop() {
      stopped = true;
      Socket s = socket;
      if (s != null) {
        closeQuietly(s);
      }
      thread.interrupt();
    }

    private void run() {
      while (running && !stopped) {
        boolean read = watchOnce();
        if (stopped) {
          return;
        }
        long now = clock.getAsLong();
        boolean remove = tracker.shouldRemove(now);
        if (remove) {
          remove(now);
        } else if (!tracker.seenAlive()
            && tracker.failingSince() >= 0
            && now - tracker.failingSince() >= timeoutMs
            && !unreachableLogged) {
          unreachableLogged = true;
          LOG.warn(
              "Peer liveness: instance {} at {} has not been seen running since this instance"
                  + " began to watch it, and its port now fails; it is left to the session timeout"
                  + " (if this repeats, is liveness.listener an address the other instances can"
                  + " reach?)",
              peer.instanceId(),
              peer.endpoint());
        }
        checks.incrementAndGet();
        if (!read) {
          try {
            Thread.sleep(tickMs);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    /** One connection, read until it ends; whether any byte was read. */
    private boolean watchOnce() {
      HostInfo at = HostInfo.parse(peer.endpoint());
      boolean read = false;
      try (Socket s = new Socket()) {
        socket = s;
        if (stopped) {
          return false;
        }
        s.connect(new InetSocketAddress(at.host(), at.port()), (int) Math.max(1, timeoutMs / 2));
        tracker.connected();
        // Silence for two ticks ends the connection: the next connect tells a paused process
        // (its port still accepts) from a dead host (it does not).
        s.setSoTimeout((int) (2 * tickMs));
        InputStream in = s.getInputStream();
        while (running && !stopped) {
          int b;
          try {
            b = in.read();
          } catch (SocketTimeoutException e) {
            return read;
          }
          if (b < 0) {
            return read;
          }
          read = true;
          if (b == JOINING) {
            int g = readGeneration(in);
            if (g < 0) {
              return read;
            }
            joins.peerJoining(g, peer.endpoint());
          } else if (b == LEAVING) {
            tracker.leaving();
          } else {
            tracker.alive();
            unreachableLogged = false;
          }
          checks.incrementAndGet();
        }
      } catch (IOException e) {
        if (!stopped) {
          tracker.failed(clock.getAsLong());
        }
      } finally {
        socket = null;
      }
      return read;
    }

    private void remove(long now) {
      Peer p = peer;
      tracker.removed();
      LOG.warn(
          "Peer liveness: instance {} at {} is gone (connections failing for {} ms, no notice"
              + " that it was leaving): removing its members {} from the group so that its tasks"
              + " move now",
          p.instanceId(),
          p.endpoint(),
          now - tracker.failingSince(),
          p.groupInstanceIds());
      try {
        remover.remove(p.groupInstanceIds());
        removedPeers.incrementAndGet();
        afterRemoval.run();
      } catch (Exception e) {
        LOG.warn(
            "Peer liveness: removing instance {} ({}) from the group failed; it leaves at the"
                + " session timeout",
            p.instanceId(),
            p.groupInstanceIds(),
            e);
      }
    }
  }
}
