package dev.weir.testkit.faults;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * A method of a Kafka client interface, where a {@link FaultInjector} rule applies: {@link
 * #COMMIT_TRANSACTION}, {@link #POLL}, or any other method by name ({@link #producer(String)},
 * {@link #consumer(String)}, {@link #admin(String)}). Overloads share one operation: {@code
 * send(record)} and {@code send(record, callback)} are both {@link #SEND}.
 *
 * <p>Immutable and thread-safe; equal when client kind and method name are equal.
 */
public final class Operation {
  /** The client interface an operation belongs to. */
  public enum ClientKind {
    /** {@link Producer}. */
    PRODUCER(Producer.class),
    /** {@link Consumer}. */
    CONSUMER(Consumer.class),
    /** {@link Admin}. */
    ADMIN(Admin.class);

    private final Class<?> type;

    ClientKind(Class<?> type) {
      this.type = type;
    }

    /**
     * Returns the client interface.
     *
     * @return {@code Producer.class}, {@code Consumer.class} or {@code Admin.class}
     */
    public Class<?> type() {
      return type;
    }
  }

  /** {@link Producer#initTransactions()}. */
  public static final Operation INIT_TRANSACTIONS = producer("initTransactions");

  /** {@link Producer#beginTransaction()}. */
  public static final Operation BEGIN_TRANSACTION = producer("beginTransaction");

  /** Both {@code Producer.send} methods. */
  public static final Operation SEND = producer("send");

  /** {@code Producer.sendOffsetsToTransaction}. */
  public static final Operation SEND_OFFSETS_TO_TRANSACTION = producer("sendOffsetsToTransaction");

  /** {@link Producer#commitTransaction()}. */
  public static final Operation COMMIT_TRANSACTION = producer("commitTransaction");

  /** {@link Producer#abortTransaction()}. */
  public static final Operation ABORT_TRANSACTION = producer("abortTransaction");

  /** {@link Producer#flush()}. */
  public static final Operation FLUSH = producer("flush");

  /** Every {@code Consumer.poll} method. */
  public static final Operation POLL = consumer("poll");

  /** Every {@code Consumer.commitSync} method. */
  public static final Operation COMMIT_SYNC = consumer("commitSync");

  /** Every {@code Consumer.commitAsync} method. */
  public static final Operation COMMIT_ASYNC = consumer("commitAsync");

  private final ClientKind client;
  private final String method;

  private Operation(ClientKind client, String method) {
    this.client = client;
    this.method = method;
  }

  /**
   * Returns the producer operation with this method name.
   *
   * @param method a method name of {@link Producer}, such as {@code "partitionsFor"}
   * @return the operation
   * @throws IllegalArgumentException if {@code Producer} has no such method; the message lists the
   *     names it has
   */
  public static Operation producer(String method) {
    return of(ClientKind.PRODUCER, method);
  }

  /**
   * Returns the consumer operation with this method name.
   *
   * @param method a method name of {@link Consumer}, such as {@code "committed"}
   * @return the operation
   * @throws IllegalArgumentException if {@code Consumer} has no such method
   */
  public static Operation consumer(String method) {
    return of(ClientKind.CONSUMER, method);
  }

  /**
   * Returns the admin-client operation with this method name. A fault on an admin operation happens
   * in the call itself (an exception thrown by {@code createTopics(...)}, say), not in the futures
   * of the result the call returns.
   *
   * @param method a method name of {@link Admin}, such as {@code "listOffsets"}
   * @return the operation
   * @throws IllegalArgumentException if {@code Admin} has no such method
   */
  public static Operation admin(String method) {
    return of(ClientKind.ADMIN, method);
  }

  private static Operation of(ClientKind client, String method) {
    Objects.requireNonNull(method, "method");
    boolean exists =
        Arrays.stream(client.type().getMethods())
            .anyMatch(
                m -> m.getName().equals(method) && !m.getDeclaringClass().equals(Object.class));
    if (!exists) {
      TreeSet<String> names = new TreeSet<>();
      for (Method m : client.type().getMethods()) {
        names.add(m.getName());
      }
      throw new IllegalArgumentException(
          client.type().getSimpleName() + " has no method '" + method + "'; use one of " + names);
    }
    return new Operation(client, method);
  }

  /**
   * Returns the kind of client.
   *
   * @return the client kind
   */
  public ClientKind client() {
    return client;
  }

  /**
   * Returns the method name.
   *
   * @return the name, such as {@code "commitTransaction"}
   */
  public String method() {
    return method;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Operation other && client == other.client && method.equals(other.method);
  }

  @Override
  public int hashCode() {
    return client.hashCode() * 31 + method.hashCode();
  }

  /** Returns {@code <client>.<method>}, such as {@code producer.commitTransaction}. */
  @Override
  public String toString() {
    return client.name().toLowerCase(Locale.ROOT) + "." + method;
  }
}
