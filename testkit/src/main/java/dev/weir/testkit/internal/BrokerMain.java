package dev.weir.testkit.internal;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kafka.tools.StorageTool;

/**
 * Main class of one broker child JVM: formats the node's storage (idempotently) and runs a KRaft
 * combined broker and controller in the same JVM, so starting a node costs a single JVM start.
 *
 * <p>Arguments: {@code <server.properties> <cluster id> [<directory to delete if the parent
 * dies>]}.
 *
 * <p>A secured cluster's node gets the system property {@code weir.testkit.addScram}, the {@code
 * --add-scram} argument that writes the super user's credential at format time.
 *
 * <p>Formatting uses {@link StorageTool#execute(String[], java.io.PrintStream)}, which returns a
 * status instead of exiting, with {@code --ignore-formatted}, so a restart of a killed node keeps
 * its data. The server is then run by {@code kafka.Kafka.main}, which installs Kafka's own shutdown
 * hook: SIGTERM from the parent gives a controlled shutdown.
 */
public final class BrokerMain {

  private BrokerMain() {}

  /**
   * Runs one node until it is stopped.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) {
    if (args.length < 2 || args.length > 3) {
      System.err.println(
          "usage: BrokerMain <server.properties> <cluster id> [<dir to delete if parent dies>]");
      System.exit(2);
    }
    String properties = args[0];
    String clusterId = args[1];
    Path deleteOnParentDeath = args.length == 3 ? Path.of(args[2]) : null;
    ParentWatch.start(() -> deleteQuietly(deleteOnParentDeath));

    long begin = System.nanoTime();
    List<String> format =
        new ArrayList<>(List.of("format", "--cluster-id", clusterId, "--config", properties, "-g"));
    String scram = System.getProperty(BrokerSecurity.SCRAM_PROPERTY);
    if (scram != null) {
      // A secured cluster's super user must exist before the nodes authenticate to each other.
      format.add("--add-scram");
      format.add(scram);
    }
    int status = StorageTool.execute(format.toArray(new String[0]), System.out);
    if (status != 0) {
      System.err.println("weir: formatting storage failed with status " + status);
      System.exit(status);
    }
    System.out.printf(
        "weir: storage ready after %d ms; starting the node%n",
        (System.nanoTime() - begin) / 1_000_000);
    kafka.Kafka.main(new String[] {properties});
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try {
      Directories.deleteRecursively(directory);
      // The cluster's temporary root holds only node directories; the last node removes it.
      Files.delete(directory.getParent());
    } catch (DirectoryNotEmptyException e) {
      System.err.println("weir: other nodes still use " + e.getFile());
    } catch (IOException e) {
      System.err.println("weir: could not delete " + directory + ": " + e);
    }
  }
}
