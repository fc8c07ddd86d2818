package dev.weir.testkit.faults;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

/**
 * Wraps real Kafka clients so that chosen calls fail, time out, freeze or run your code: fault
 * injection for tests of anything built on Kafka clients. A rule says where ({@link Operation}),
 * when ({@link Trigger}) and what ({@link Fault}):
 *
 * <pre>{@code
 * FaultInjector faults =
 *     FaultInjector.builder()
 *         .on(Operation.COMMIT_TRANSACTION, Trigger.onCall(2), Fault.fenced())
 *         .on(Operation.POLL, Trigger.onCall(10), Fault.freezing(Duration.ofSeconds(8)))
 *         .build();
 * Producer<byte[], byte[]> producer = faults.producer(new KafkaProducer<>(config));
 * }</pre>
 *
 * <p>With Weir, {@code KafkaClientSupplier.decorating(KafkaClientSupplier.defaults(),
 * faults::producer, faults::consumer, faults::admin)} puts every client the application creates
 * behind the rules.
 *
 * <p>At each call of an operation that has rules, the wrapper counts the call, asks every rule's
 * trigger in the order the rules were added, then applies the faults that fire in that order: each
 * fault's part before the call, the real call (unless a fault failed it), each fault's part after
 * the call. A wrapper forwards everything else to the real client unchanged, {@code close}
 * included.
 *
 * <p>Thread-safe: wrap clients from any thread; a wrapped client is as thread-safe as the real one.
 */
public final class FaultInjector {
  record Rule(Operation operation, Trigger trigger, Fault fault) {}

  private final Map<Operation.ClientKind, Map<String, List<Rule>>> rules;
  private final long seed;
  private final Consumer<Injection> listener;
  private final List<Injection> injected = new ArrayList<>();
  private final AtomicInteger clients = new AtomicInteger();

  private FaultInjector(Builder b) {
    this.rules = new EnumMap<>(Operation.ClientKind.class);
    for (Rule r : b.rules) {
      rules
          .computeIfAbsent(r.operation().client(), k -> new HashMap<>())
          .computeIfAbsent(r.operation().method(), k -> new ArrayList<>())
          .add(r);
    }
    this.seed = b.seed;
    this.listener = b.listener;
  }

  /**
   * Starts a set of rules.
   *
   * @return a builder with no rules and seed 0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Wraps a producer.
   *
   * @param real the producer that does the work; closed when the wrapper is closed
   * @param <K> key type
   * @param <V> value type
   * @return a producer that applies the producer rules
   */
  public <K, V> Producer<K, V> producer(Producer<K, V> real) {
    return wrap(Producer.class, Operation.ClientKind.PRODUCER, real);
  }

  /**
   * Wraps a consumer.
   *
   * @param real the consumer that does the work
   * @param <K> key type
   * @param <V> value type
   * @return a consumer that applies the consumer rules
   */
  public <K, V> org.apache.kafka.clients.consumer.Consumer<K, V> consumer(
      org.apache.kafka.clients.consumer.Consumer<K, V> real) {
    return wrap(
        org.apache.kafka.clients.consumer.Consumer.class, Operation.ClientKind.CONSUMER, real);
  }

  /**
   * Wraps an admin client.
   *
   * @param real the admin client that does the work
   * @return an admin client that applies the admin rules
   */
  public Admin admin(Admin real) {
    return wrap(Admin.class, Operation.ClientKind.ADMIN, real);
  }

  /**
   * Returns the faults that happened so far (actions of {@link Fault#running} excepted), in the
   * order they happened.
   *
   * @return a copy
   */
  public List<Injection> injected() {
    synchronized (injected) {
      return List.copyOf(injected);
    }
  }

  @SuppressWarnings("unchecked") // the proxy implements exactly the interface of the real client
  private <T> T wrap(Class<?> type, Operation.ClientKind kind, T real) {
    Objects.requireNonNull(real, "real");
    int number = clients.incrementAndGet();
    ClientHandler handler =
        new ClientHandler(
            this,
            kind,
            real,
            ClientHandler.name(real, kind, number),
            rules.getOrDefault(kind, Map.of()),
            seed * 0x9E3779B97F4A7C15L + number);
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  void record(Injection injection) {
    synchronized (injected) {
      injected.add(injection);
    }
    listener.accept(injection);
  }

  /** Collects the rules of a {@link FaultInjector}. Not thread-safe. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private long seed;
    private Consumer<Injection> listener = i -> {};

    private Builder() {}

    /**
     * Adds a rule. Rules apply in the order they were added.
     *
     * @param operation where
     * @param trigger when
     * @param fault what
     * @return this builder
     * @throws IllegalArgumentException if the fault cannot happen at the operation ({@link
     *     Fault#sendFails} anywhere but {@link Operation#SEND})
     */
    public Builder on(Operation operation, Trigger trigger, Fault fault) {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(fault, "fault");
      if (fault.kind() == Fault.Kind.FAIL_SEND && !operation.equals(Operation.SEND)) {
        throw new IllegalArgumentException(
            "Fault '"
                + fault.name()
                + "' (sendFails) applies to "
                + Operation.SEND
                + " only, not "
                + operation
                + "; use Fault.failing(...) for other operations");
      }
      rules.add(new Rule(operation, trigger, fault));
      return this;
    }

    /**
     * Seeds the random sequences of {@link Trigger#withProbability(double)}; each client draws from
     * its own sequence, seeded from this seed and the client's number.
     *
     * @param seed the seed; default 0
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Calls {@code listener} at each injected fault, on the thread of the failing call, before the
     * fault acts (so a log line comes before the exception it explains).
     *
     * @param listener the listener; must be thread-safe and quick
     * @return this builder
     */
    public Builder onInjection(Consumer<Injection> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the injector.
     *
     * @return the injector; later changes to this builder do not affect it
     */
    public FaultInjector build() {
      return new FaultInjector(this);
    }
  }
}
