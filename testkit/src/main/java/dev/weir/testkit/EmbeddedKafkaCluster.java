package dev.weir.testkit;

import dev.weir.testkit.internal.BrokerNode;
import dev.weir.testkit.internal.BrokerProperties;
import dev.weir.testkit.internal.BrokerSecurity;
import dev.weir.testkit.internal.ClusterProbe;
import dev.weir.testkit.internal.Deadline;
import dev.weir.testkit.internal.Directories;
import dev.weir.testkit.internal.FreePorts;
import dev.weir.testkit.internal.NodeAddress;
import dev.weir.testkit.internal.TransactionProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka 4.3 cluster of one to three KRaft nodes, each a child JVM on free loopback ports.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(3)) {
 *   kafka.createTopic("payments", 6);
 *   // ... run the code under test against kafka.bootstrapServers()
 *   kafka.killBroker(1);
 *   // ... the cluster keeps serving with two of three nodes
 *   kafka.restartBroker(1);
 * }
 * }</pre>
 *
 * <p>Every node is a broker and a controller at once (KRaft combined mode) with a static voter set.
 * One child JVM per node formats the node's storage and then runs the server, so a node costs one
 * JVM start. Data lives in a fresh temporary directory that {@link #close()} deletes.
 *
 * <p>Node settings (see {@code docs/testing.md}): internal topics have a replication factor of
 * {@code min(3, n)} and 5 partitions; {@code min.insync.replicas} and the transaction log's minimum
 * ISR are 1 on one node and 2 on three; topics are never auto-created; transactions may last up to
 * 15 minutes. {@link Builder#brokerProperty} overrides any of them.
 *
 * <p><b>Readiness.</b> {@link #start} returns once every node is listed by the cluster's metadata
 * and a probe transaction that commits a consumer offset succeeded, so the transaction state log
 * and the consumer offsets topic exist.
 *
 * <p><b>Secured clusters.</b> {@link Builder#secured()} starts a cluster whose clients must use
 * {@code SASL_SSL} with SCRAM-SHA-512 and a certificate made at test time, and whose brokers
 * authorize every request with Kafka's KRaft {@code StandardAuthorizer}: only the super user
 * {@value dev.weir.testkit.internal.BrokerSecurity#ADMIN_USER} may do anything without an ACL.
 * {@link #clientProperties()} then authenticates as that super user, {@link #createUser} adds users
 * and {@link #clientProperties(String, String)} connects as one of them.
 *
 * <p><b>Logs.</b> Each node's stdout and stderr go to {@code <cluster>-broker-<i>.log} in the log
 * directory, by default {@code target/weir-kafka-logs} (system property {@value
 * #LOG_DIRECTORY_PROPERTY}). When a start fails, the exception message ends with the last 40 lines
 * of the relevant log.
 *
 * <p><b>No orphans.</b> Node JVMs halt when this JVM dies, even by {@code kill -9} (see {@link
 * JavaProcess}); a shutdown hook kills them on a normal exit as well.
 *
 * <p><b>Threading:</b> thread-safe. Broker operations and {@link #close()} are serialized.
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {

  /** System property replacing the classpath of node JVMs (default: this JVM's classpath). */
  public static final String CLASSPATH_PROPERTY = "weir.testkit.kafka.classpath";

  /** System property replacing the default JVM options of node JVMs, separated by whitespace. */
  public static final String JVM_OPTIONS_PROPERTY = "weir.testkit.kafka.jvmOptions";

  /** System property replacing the default directory for node logs. */
  public static final String LOG_DIRECTORY_PROPERTY = "weir.testkit.kafka.logDir";

  /**
   * JVM options of each node unless replaced by {@link Builder#jvmOptions} or {@value
   * #JVM_OPTIONS_PROPERTY}: a heap of 256 MiB growing to 1 GiB, the serial collector, and the C1
   * compiler only, which starts a node about a third faster; benchmarks that measure broker
   * throughput should replace these.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(
          "-Xms256m",
          "-Xmx1g",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xshare:auto",
          "-XX:-UsePerfData",
          "-Djava.awt.headless=true");

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
  private static final int LOG_TAIL_LINES = 40;
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final String name;
  private final String clusterId;
  private final Path dataRoot;
  private final List<BrokerNode> nodes;
  private final BrokerSecurity security;
  private final String bootstrapServers;
  private final String classpath;
  private final List<String> jvmOptions;
  private final Duration startTimeout;
  private final Thread shutdownHook;
  private final AtomicReference<Admin> admin = new AtomicReference<>();
  private volatile Duration startupTime;
  private boolean closed;

  private EmbeddedKafkaCluster(
      Builder builder,
      String name,
      Path dataRoot,
      List<BrokerNode> nodes,
      BrokerSecurity security) {
    this.name = name;
    this.security = security;
    this.clusterId = Uuid.randomUuid().toString();
    this.dataRoot = dataRoot;
    this.nodes = List.copyOf(nodes);
    this.bootstrapServers =
        BrokerProperties.bootstrapServers(
            nodes.stream().map(BrokerNode::address).collect(Collectors.toList()));
    this.classpath = System.getProperty(CLASSPATH_PROPERTY, System.getProperty("java.class.path"));
    this.jvmOptions = builder.effectiveJvmOptions();
    this.startTimeout = builder.startTimeout;
    this.shutdownHook = new Thread(this::destroy, "weir-kafka-cleanup-" + name);
  }

  /**
   * Starts a cluster with default settings and waits until it is ready.
   *
   * @param brokers the number of nodes, 1 to 3
   * @return the ready cluster; the caller must close it
   * @throws IllegalArgumentException when {@code brokers} is out of range
   * @throws IllegalStateException when the cluster does not become ready within 90 s; the message
   *     holds the end of the failing node's log
   * @throws UncheckedIOException when directories or files cannot be created
   */
  public static EmbeddedKafkaCluster start(int brokers) {
    return builder().brokers(brokers).start();
  }

  /**
   * Starts describing a cluster: one node and defaults everywhere.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public int brokerCount() {
    return nodes.size();
  }

  @Override
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Returns the operating-system process id of a running node's JVM, for fault injection beyond
   * {@link #killBroker} (for example SIGSTOP).
   *
   * @param index the broker, {@code 0 <= index < brokerCount()}
   * @return the pid
   * @throws IndexOutOfBoundsException when {@code index} is out of range
   * @throws IllegalStateException when the broker is not running
   */
  public long brokerPid(int index) {
    return node(index).pid();
  }

  /**
   * Tells whether a node's JVM is running (it may still be starting).
   *
   * @param index the broker, {@code 0 <= index < brokerCount()}
   * @return true while its JVM runs
   * @throws IndexOutOfBoundsException when {@code index} is out of range
   */
  public boolean isBrokerRunning(int index) {
    return node(index).isRunning();
  }

  /**
   * Returns the file with a node's stdout and stderr, all runs of the node appended.
   *
   * @param index the broker, {@code 0 <= index < brokerCount()}
   * @return the log file
   * @throws IndexOutOfBoundsException when {@code index} is out of range
   */
  public Path brokerLogFile(int index) {
    return node(index).logFile();
  }

  @Override
  public synchronized void stopBroker(int index) {
    BrokerNode node = node(index);
    ensureOpen();
    node.stop(STOP_GRACE);
    LOG.info("Kafka cluster {}: broker {} stopped", name, index);
  }

  @Override
  public synchronized void killBroker(int index) {
    BrokerNode node = node(index);
    ensureOpen();
    node.kill();
    LOG.info("Kafka cluster {}: broker {} killed", name, index);
  }

  @Override
  public synchronized void restartBroker(int index) {
    BrokerNode node = node(index);
    ensureOpen();
    node.stop(STOP_GRACE);
    long begin = System.nanoTime();
    Deadline deadline = Deadline.after(startTimeout);
    try {
      launch(node);
      ClusterProbe.awaitListening(List.of(node), deadline);
      ClusterProbe.awaitRegistered(admin.get(), List.of(node), deadline);
    } catch (IllegalStateException | UncheckedIOException e) {
      throw new IllegalStateException(
          "broker "
              + index
              + " of Kafka cluster "
              + name
              + " did not come back: "
              + e.getMessage()
              + System.lineSeparator()
              + node.describeLog(LOG_TAIL_LINES),
          e);
    }
    LOG.info(
        "Kafka cluster {}: broker {} restarted in {} ms",
        name,
        index,
        (System.nanoTime() - begin) / 1_000_000);
  }

  @Override
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    Objects.requireNonNull(name, "name");
    ensureOpen();
    Admin client = admin.get();
    if (client == null) {
      throw new IllegalStateException("Kafka cluster " + this.name + " is closed");
    }
    NewTopic topic =
        new NewTopic(name, partitions, (short) BrokerProperties.replicationFactor(nodes.size()))
            .configs(Map.copyOf(configs));
    ClusterProbe.createTopic(client, topic, startTimeout);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a {@linkplain Builder#secured() secured} cluster the settings authenticate as the super
   * user {@value dev.weir.testkit.internal.BrokerSecurity#ADMIN_USER}.
   */
  @Override
  public Map<String, Object> clientProperties() {
    return security == null
        ? new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))
        : clientProperties(BrokerSecurity.ADMIN_USER, security.adminPassword());
  }

  /**
   * Returns the client settings of a user of a secured cluster: {@code bootstrap.servers}, {@code
   * security.protocol=SASL_SSL}, {@code sasl.mechanism=SCRAM-SHA-512}, {@code sasl.jaas.config} and
   * a trust store ({@code ssl.truststore.*}) holding the cluster's certificate.
   *
   * @param user a user made by {@link #createUser}, or the super user
   * @param password its password
   * @return a new mutable map
   * @throws IllegalStateException when the cluster is not secured
   */
  public Map<String, Object> clientProperties(String user, String password) {
    BrokerSecurity s = requireSecured();
    Map<String, Object> properties = new HashMap<>(s.clientProperties(user, password));
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return properties;
  }

  /**
   * Tells whether this cluster was started {@linkplain Builder#secured() secured}.
   *
   * @return true when clients must authenticate
   */
  public boolean isSecured() {
    return security != null;
  }

  /**
   * Creates (or replaces) a SCRAM-SHA-512 user of a secured cluster and waits until every broker
   * knows it. The user holds no ACL: grant them with an {@link Admin} made from {@link
   * #clientProperties()}.
   *
   * @param user the user name, without {@code "}
   * @param password its password, without {@code "}
   * @throws IllegalStateException when the cluster is not secured, or the user is not known in time
   */
  public void createUser(String user, String password) {
    requireSecured();
    ensureOpen();
    Map<String, Object> config = clientProperties(user, password);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "weir-testkit-user-check");
    ClusterProbe.createScramUser(
        admin.get(), user, password, config, Deadline.after(startTimeout), name);
  }

  private BrokerSecurity requireSecured() {
    if (security == null) {
      throw new IllegalStateException(
          "Kafka cluster " + name + " is not secured; start it with builder().secured()");
    }
    return security;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs destroy() anyway, and running it twice is
      // harmless.
      LOG.debug("JVM shutting down while closing Kafka cluster {}", name, e);
    }
    destroy();
    LOG.info("Kafka cluster {} closed", name);
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaCluster[" + name + ", " + bootstrapServers + "]";
  }

  /** Kills every node (data is discarded, so a graceful shutdown would only cost time). */
  private void destroy() {
    Admin client = admin.getAndSet(null);
    if (client != null) {
      client.close(Duration.ofSeconds(1));
    }
    for (BrokerNode node : nodes) {
      node.kill();
    }
    try {
      Directories.deleteRecursively(dataRoot);
    } catch (IOException e) {
      LOG.warn("Could not delete the data of Kafka cluster {} in {}", name, dataRoot, e);
    }
  }

  /** Called once, before the cluster is published to other threads. */
  private void startAll() {
    long begin = System.nanoTime();
    Deadline deadline = Deadline.after(startTimeout);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    for (BrokerNode node : nodes) {
      launch(node);
    }
    // Clients are created before the brokers answer: they connect lazily, and loading their
    // classes now overlaps with the brokers' start.
    Map<String, Object> adminConfig = clientProperties();
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "weir-testkit-" + name);
    admin.set(Admin.create(adminConfig));
    try (TransactionProbe probe =
        new TransactionProbe(
            clientProperties(),
            "__weir_testkit_probe_" + name,
            BrokerProperties.replicationFactor(nodes.size()),
            startTimeout)) {
      ClusterProbe.awaitListening(nodes, deadline);
      ClusterProbe.awaitRegistered(admin.get(), nodes, deadline);
      probe.run(admin.get(), nodes, deadline);
    }
    startupTime = Duration.ofNanos(System.nanoTime() - begin);
  }

  private void launch(BrokerNode node) {
    Map<String, String> systemProperties = new LinkedHashMap<>();
    // Read by slf4j-simple when it is the binding on the classpath; ignored otherwise.
    systemProperties.put("org.slf4j.simpleLogger.showDateTime", "true");
    systemProperties.put("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    systemProperties.put("org.slf4j.simpleLogger.log.state.change.logger", "warn");
    if (security != null) {
      systemProperties.put("weir.testkit.addScram", security.scramArgument());
    }
    try {
      node.launch(clusterId, classpath, jvmOptions, systemProperties);
    } catch (IOException e) {
      throw new UncheckedIOException("could not launch broker " + node.address().nodeId(), e);
    }
  }

  private synchronized void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Kafka cluster " + name + " is closed");
    }
  }

  private BrokerNode node(int index) {
    return nodes.get(Objects.checkIndex(index, nodes.size()));
  }

  private String failureReport(String reason) {
    StringBuilder text =
        new StringBuilder("Kafka cluster ")
            .append(name)
            .append(" (")
            .append(nodes.size())
            .append(" broker(s)) did not start: ")
            .append(reason);
    List<BrokerNode> dead = nodes.stream().filter(n -> !n.isRunning()).collect(Collectors.toList());
    for (BrokerNode node : dead.isEmpty() ? nodes : dead) {
      text.append(System.lineSeparator()).append(node.describeLog(LOG_TAIL_LINES));
    }
    return text.toString();
  }

  private boolean failedToBind() {
    return nodes.stream()
        .anyMatch(
            node -> {
              try {
                return Files.exists(node.logFile())
                    && Files.readString(node.logFile()).contains("Address already in use");
              } catch (IOException e) {
                return false;
              }
            });
  }

  /**
   * Describes an {@link EmbeddedKafkaCluster}; {@link #start()} starts it. Not thread-safe; use
   * from one thread.
   */
  public static final class Builder {

    private static final int BIND_ATTEMPTS = 3;

    private int brokers = 1;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private Path logDirectory;
    private Path dataDirectory;
    private List<String> jvmOptions;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private boolean secured;

    private Builder() {}

    /**
     * Secures the cluster: clients connect with {@code SASL_SSL} and SCRAM-SHA-512, trusting a
     * certificate made at start by the running JDK's {@code keytool}; the nodes talk to the
     * controllers over mutual TLS; every request is authorized by Kafka's {@code
     * StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}. The super user is
     * {@value dev.weir.testkit.internal.BrokerSecurity#ADMIN_USER}; {@link
     * EmbeddedKafkaCluster#clientProperties()} logs in as it.
     *
     * @return this builder
     */
    public Builder secured() {
      this.secured = true;
      return this;
    }

    /**
     * Sets the number of nodes; the default is 1.
     *
     * @param brokers 1 to 3
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder brokers(int brokers) {
      if (brokers < 1 || brokers > 3) {
        throw new IllegalArgumentException("brokers must be 1, 2 or 3, not " + brokers);
      }
      this.brokers = brokers;
      return this;
    }

    /**
     * Sets a server property on every node, replacing the testkit's default for that key.
     *
     * @param key a Kafka server property such as {@code log.retention.ms}
     * @param value its value
     * @return this builder
     */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Sets server properties on every node, replacing the testkit's defaults for those keys.
     *
     * @param properties Kafka server properties
     * @return this builder
     */
    public Builder brokerProperties(Map<String, String> properties) {
      properties.forEach(this::brokerProperty);
      return this;
    }

    /**
     * Sets the directory for node logs (stdout and stderr); default {@code target/weir-kafka-logs}
     * or the system property {@value EmbeddedKafkaCluster#LOG_DIRECTORY_PROPERTY}. Logs are kept
     * after {@link EmbeddedKafkaCluster#close()}.
     *
     * @param directory created when missing
     * @return this builder
     */
    public Builder logDirectory(Path directory) {
      this.logDirectory = Objects.requireNonNull(directory);
      return this;
    }

    /**
     * Sets the directory under which the cluster creates its temporary data directory; default
     * {@code java.io.tmpdir}. The data directory is deleted on close.
     *
     * @param directory created when missing
     * @return this builder
     */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory);
      return this;
    }

    /**
     * Replaces the JVM options of node JVMs (default {@link #DEFAULT_JVM_OPTIONS}, or the system
     * property {@value EmbeddedKafkaCluster#JVM_OPTIONS_PROPERTY}).
     *
     * @param options complete JVM options, for example {@code List.of("-Xmx2g", "-XX:+UseG1GC")}
     * @return this builder
     */
    public Builder jvmOptions(List<String> options) {
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    /**
     * Sets how long {@link #start()} and {@link EmbeddedKafkaCluster#restartBroker} wait for
     * readiness; default 90 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Starts the cluster and waits until it is ready. Retries with new ports when another process
     * took a chosen port in the meantime.
     *
     * @return the ready cluster; the caller must close it
     * @throws IllegalStateException when the cluster does not become ready in time; the message
     *     holds the end of the failing node's log
     * @throws UncheckedIOException when directories or files cannot be created
     */
    public EmbeddedKafkaCluster start() {
      for (int attempt = 1; ; attempt++) {
        EmbeddedKafkaCluster cluster = create();
        try {
          cluster.startAll();
          LOG.info(
              "Kafka cluster {} of {} broker(s) ready at {} in {} ms (logs in {})",
              cluster.name,
              brokers,
              cluster.bootstrapServers,
              cluster.startupTime.toMillis(),
              cluster.nodes.get(0).logFile().getParent());
          return cluster;
        } catch (RuntimeException e) {
          boolean retry = attempt < BIND_ATTEMPTS && cluster.failedToBind();
          String report = cluster.failureReport(e.getMessage());
          cluster.close();
          if (!retry) {
            throw new IllegalStateException(report, e);
          }
          LOG.warn("Kafka cluster {} lost a port to another process; retrying", cluster.name);
        }
      }
    }

    private EmbeddedKafkaCluster create() {
      String name =
          LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
              + "-"
              + ProcessHandle.current().pid()
              + "-"
              + SEQUENCE.incrementAndGet();
      try {
        Path logs = effectiveLogDirectory().toAbsolutePath();
        Files.createDirectories(logs);
        Path parent =
            dataDirectory != null ? dataDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        Path root = Files.createTempDirectory(parent, "weir-kafka-");
        int[] ports = FreePorts.allocate(2 * brokers);
        List<NodeAddress> addresses = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
          addresses.add(new NodeAddress(i, ports[2 * i], ports[2 * i + 1]));
        }
        BrokerSecurity security = secured ? BrokerSecurity.create(root) : null;
        List<BrokerNode> nodes = new ArrayList<>();
        for (NodeAddress address : addresses) {
          Map<String, String> properties = new LinkedHashMap<>();
          if (security != null) {
            properties.putAll(security.brokerProperties(address));
          }
          properties.putAll(brokerProperties);
          BrokerNode node =
              new BrokerNode(
                  address,
                  root.resolve("n" + address.nodeId()),
                  logs.resolve("kafka-" + name + "-broker-" + address.nodeId() + ".log"));
          node.writeProperties(
              BrokerProperties.forNode(address, addresses, node.dataDirectory(), properties));
          nodes.add(node);
        }
        return new EmbeddedKafkaCluster(this, name, root, nodes, security);
      } catch (IOException e) {
        throw new UncheckedIOException("could not prepare Kafka cluster " + name, e);
      }
    }

    private Path effectiveLogDirectory() {
      if (logDirectory != null) {
        return logDirectory;
      }
      return Path.of(System.getProperty(LOG_DIRECTORY_PROPERTY, "target/weir-kafka-logs"));
    }

    private List<String> effectiveJvmOptions() {
      if (jvmOptions != null) {
        return jvmOptions;
      }
      String fromProperty = System.getProperty(JVM_OPTIONS_PROPERTY);
      if (fromProperty != null && !fromProperty.isBlank()) {
        return Arrays.asList(fromProperty.trim().split("\\s+"));
      }
      return DEFAULT_JVM_OPTIONS;
    }
  }
}
