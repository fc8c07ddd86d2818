package dev.weir.testkit.internal;

import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One node of an embedded cluster: its fixed address and directories, and the child JVM currently
 * running it, if any. The data directory and ports outlive the process, so a killed node can be
 * started again as the same node.
 *
 * <p>Thread-safe: launches are serialized by this object's monitor; waits for an exit hold no lock,
 * so a kill from a shutdown hook is never blocked by a graceful stop in progress.
 */
public final class BrokerNode {

  private final NodeAddress address;
  private final Path dataDirectory;
  private final Path propertiesFile;
  private final Path logFile;
  private volatile JavaProcess process;

  /**
   * Describes a node; nothing is started or written yet.
   *
   * @param address the node id and ports
   * @param nodeDirectory a directory owned by this node; data and properties go inside it
   * @param logFile receives the stdout and stderr of every run of the node, appended
   */
  public BrokerNode(NodeAddress address, Path nodeDirectory, Path logFile) {
    this.address = address;
    this.dataDirectory = nodeDirectory.resolve("data");
    this.propertiesFile = nodeDirectory.resolve("server.properties");
    this.logFile = logFile;
  }

  /**
   * Returns the node id and ports.
   *
   * @return the address
   */
  public NodeAddress address() {
    return address;
  }

  /**
   * Returns the directory holding the node's Kafka logs ({@code log.dirs}).
   *
   * @return the data directory
   */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * Returns the file receiving the node's output.
   *
   * @return the log file
   */
  public Path logFile() {
    return logFile;
  }

  /**
   * Writes the node's {@code server.properties}.
   *
   * @param properties the complete server properties
   * @throws IOException when the file cannot be written
   */
  public void writeProperties(Map<String, String> properties) throws IOException {
    Files.createDirectories(propertiesFile.getParent());
    Properties file = new Properties();
    file.putAll(properties);
    try (Writer out = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
      file.store(out, "Weir testkit node " + address.nodeId());
    }
  }

  /**
   * Launches the node's JVM (format if needed, then run) unless it is running already. Returns
   * without waiting for the node to be ready.
   *
   * @param clusterId the cluster id all nodes are formatted with
   * @param classpath the child's classpath, must hold the Kafka server jars and this module
   * @param jvmOptions options for the child JVM
   * @param systemProperties system properties for the child JVM
   * @throws IOException when the JVM cannot be launched
   */
  public synchronized void launch(
      String clusterId,
      String classpath,
      List<String> jvmOptions,
      Map<String, String> systemProperties)
      throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    JavaProcess.Builder builder =
        JavaProcess.builder(BrokerMain.class)
            .name("kafka-node-" + address.nodeId())
            .classpath(classpath)
            .jvmOptions(jvmOptions)
            .logFile(logFile)
            .args(
                propertiesFile.toString(),
                clusterId,
                propertiesFile.getParent().toAbsolutePath().toString());
    systemProperties.forEach(builder::systemProperty);
    process = builder.start();
  }

  /**
   * Tells whether the node's JVM runs.
   *
   * @return true while a launched JVM is alive
   */
  public boolean isRunning() {
    JavaProcess current = process;
    return current != null && current.isAlive();
  }

  /**
   * Returns the pid of the running JVM.
   *
   * @return the pid
   * @throws IllegalStateException when the node does not run
   */
  public long pid() {
    JavaProcess current = process;
    if (current == null || !current.isAlive()) {
      throw new IllegalStateException("broker " + address.nodeId() + " is not running");
    }
    return current.pid();
  }

  /**
   * Describes how the last run ended, for error messages.
   *
   * @return "running", "never started" or the exit status
   */
  public String status() {
    JavaProcess current = process;
    if (current == null) {
      return "never started";
    }
    return current.exitCode().stream()
        .mapToObj(code -> "exited with status " + code)
        .findFirst()
        .orElse("running");
  }

  /** SIGKILLs the node's JVM, if running, and waits until it is gone. */
  public void kill() {
    JavaProcess current = process;
    if (current != null) {
      current.kill();
    }
  }

  /**
   * SIGTERMs the node's JVM, if running, and SIGKILLs it after {@code grace}.
   *
   * @param grace time allowed for a controlled shutdown
   */
  public void stop(Duration grace) {
    JavaProcess current = process;
    if (current != null) {
      current.stop(grace);
    }
  }

  /**
   * Returns a header and the end of the node's log.
   *
   * @param lines how many lines at most
   * @return text for an exception message
   */
  public String describeLog(int lines) {
    return "broker "
        + address.nodeId()
        + " ("
        + status()
        + "): "
        + LogTail.describe(logFile, lines);
  }
}
