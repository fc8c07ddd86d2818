package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The interactive-query fields of the assignor's wire format (version 2), kept apart from the task
 * assignment so that the two evolve separately. Each member sends its {@code application.server};
 * the leader sends every member the map from server to the tasks it runs and the tasks it keeps
 * standby replicas of, so any instance can tell which instance hosts a key.
 *
 * <p>Layout, appended after the fingerprint of each message (all integers big-endian int32, strings
 * UTF-8 with an int32 length):
 *
 * <pre>
 * subscription: [serverLength][server]            serverLength -1 = no application.server
 * assignment:   [hostCount] hostCount x (
 *                 [serverLength][server]
 *                 [activeCount]  activeCount  x ([subTopology][partition])
 *                 [standbyCount] standbyCount x ([subTopology][partition]))
 * </pre>
 *
 * A message that ends before these fields (version 1) reads as no server and an empty map.
 */
final class HostMetadata {
  /** Tasks per {@code application.server}; empty until the first assignment. */
  record Hosts(Map<String, Set<TaskId>> active, Map<String, Set<TaskId>> standby) {
    static final Hosts NONE = new Hosts(Map.of(), Map.of());

    /** A server without standby tasks has no standby entry, so equal maps are equal records. */
    Hosts {
      active = copy(active);
      Map<String, Set<TaskId>> nonEmpty = new TreeMap<>(standby);
      nonEmpty.values().removeIf(Set::isEmpty);
      standby = copy(nonEmpty);
    }

    /** The server running {@code task}, or null. */
    String activeOf(TaskId task) {
      for (Map.Entry<String, Set<TaskId>> e : active.entrySet()) {
        if (e.getValue().contains(task)) {
          return e.getKey();
        }
      }
      return null;
    }

    /** The servers with a standby replica of {@code task}. */
    Set<String> standbysOf(TaskId task) {
      Set<String> out = new TreeSet<>();
      standby.forEach(
          (server, tasks) -> {
            if (tasks.contains(task)) {
              out.add(server);
            }
          });
      return out;
    }

    private static Map<String, Set<TaskId>> copy(Map<String, Set<TaskId>> m) {
      Map<String, Set<TaskId>> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(k, Set.copyOf(v)));
      return Map.copyOf(out);
    }
  }

  private HostMetadata() {}

  /** The bytes {@link #writeServer} appends. */
  static int serverSize(String server) {
    return 4 + (server == null ? 0 : utf8(server).length);
  }

  static void writeServer(ByteBuffer b, String server) {
    if (server == null) {
      b.putInt(-1);
    } else {
      byte[] s = utf8(server);
      b.putInt(s.length).put(s);
    }
  }

  /** The sender's server, or null when it set none or sent a version-1 subscription. */
  static String readServer(ByteBuffer b) {
    if (b.remaining() < 4) {
      return null;
    }
    int n = b.getInt();
    if (n < 0) {
      return null;
    }
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  /**
   * The leader's map: each member's tasks under its server; members without a server are left out
   * (nobody can send a query to them).
   *
   * @param servers member id to its server (null when it set none)
   * @param active member id to the tasks it runs
   * @param standby member id to the tasks it keeps standby replicas of
   */
  static Hosts hosts(
      Map<String, String> servers,
      Map<String, ? extends Collection<TaskId>> active,
      Map<String, ? extends Collection<TaskId>> standby) {
    Map<String, Set<TaskId>> a = new TreeMap<>();
    Map<String, Set<TaskId>> s = new TreeMap<>();
    servers.forEach(
        (member, server) -> {
          if (server != null) {
            Set<TaskId> mine = a.computeIfAbsent(server, k -> new TreeSet<>());
            Set<TaskId> replicas = s.computeIfAbsent(server, k -> new TreeSet<>());
            if (active.containsKey(member)) {
              mine.addAll(active.get(member));
            }
            if (standby.containsKey(member)) {
              replicas.addAll(standby.get(member));
            }
          }
        });
    return new Hosts(a, s);
  }

  static int hostsSize(Hosts hosts) {
    int size = 4;
    for (String server : hosts.active().keySet()) {
      size += 4 + utf8(server).length;
      size += 4 + 8 * hosts.active().get(server).size();
      size += 4 + 8 * hosts.standby().getOrDefault(server, Set.of()).size();
    }
    return size;
  }

  /** Servers in name order, tasks ascending: the same map always encodes to the same bytes. */
  static void writeHosts(ByteBuffer b, Hosts hosts) {
    b.putInt(hosts.active().size());
    // Map.copyOf iterates in no fixed order: sort, so that equal maps encode to equal bytes.
    for (String server : new TreeSet<>(hosts.active().keySet())) {
      byte[] s = utf8(server);
      b.putInt(s.length).put(s);
      writeTasks(b, hosts.active().get(server));
      writeTasks(b, hosts.standby().getOrDefault(server, Set.of()));
    }
  }

  static Hosts readHosts(ByteBuffer b) {
    if (b.remaining() < 4) {
      return Hosts.NONE;
    }
    int n = b.getInt();
    Map<String, Set<TaskId>> active = new TreeMap<>();
    Map<String, Set<TaskId>> standby = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byte[] s = new byte[b.getInt()];
      b.get(s);
      String server = new String(s, StandardCharsets.UTF_8);
      active.put(server, readTasks(b));
      standby.put(server, readTasks(b));
    }
    return new Hosts(active, standby);
  }

  private static void writeTasks(ByteBuffer b, Set<TaskId> tasks) {
    b.putInt(tasks.size());
    for (TaskId t : new TreeSet<>(tasks)) {
      b.putInt(t.subTopology()).putInt(t.partition());
    }
  }

  private static Set<TaskId> readTasks(ByteBuffer b) {
    int n = b.getInt();
    List<TaskId> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(new TaskId(b.getInt(), b.getInt()));
    }
    return Set.copyOf(tasks);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
