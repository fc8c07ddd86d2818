package dev.weir.testkit.faults;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * The behaviour of one wrapped client. A dynamic proxy rather than a hand-written class per
 * interface: it forwards every method, including those a later Kafka version adds, and applies the
 * rules to the methods they name.
 */
final class ClientHandler implements InvocationHandler {
  private final FaultInjector injector;
  private final Operation.ClientKind kind;
  private final Object real;
  private final String name;
  private final Map<String, List<FaultInjector.Rule>> rules;
  private final SplittableRandom random;
  private final Map<String, Long> calls = new HashMap<>();
  // Producer bookkeeping for Call.sentSinceCommit / topicsSinceCommit; guarded by this.
  private long sentSinceCommit;
  private final Set<String> topicsSinceCommit = new LinkedHashSet<>();

  ClientHandler(
      FaultInjector injector,
      Operation.ClientKind kind,
      Object real,
      String name,
      Map<String, List<FaultInjector.Rule>> rules,
      long seed) {
    this.injector = injector;
    this.kind = kind;
    this.real = real;
    this.name = name;
    this.rules = rules;
    this.random = new SplittableRandom(seed);
  }

  /**
   * {@code <client.id>#<n>} when the client's metrics carry a client id, else {@code <kind>#<n>}.
   */
  static String name(Object real, Operation.ClientKind kind, int number) {
    String id = null;
    try {
      Map<MetricName, ? extends Metric> metrics =
          switch (kind) {
            case PRODUCER -> ((Producer<?, ?>) real).metrics();
            case CONSUMER -> ((Consumer<?, ?>) real).metrics();
            case ADMIN -> ((Admin) real).metrics();
          };
      if (metrics != null) {
        for (MetricName m : metrics.keySet()) {
          id = m.tags().get("client-id");
          if (id != null) {
            break;
          }
        }
      }
    } catch (RuntimeException e) {
      // A fake without metrics: the kind names it.
    }
    return (id != null ? id : kind.name().toLowerCase(Locale.ROOT)) + "#" + number;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "faulty " + name + " around " + real;
      };
    }
    String m = method.getName();
    List<FaultInjector.Rule> candidates = rules.get(m);
    boolean tracked = kind == Operation.ClientKind.PRODUCER;
    if (candidates == null && !tracked) {
      return forward(method, args);
    }
    List<Fault> fired = new ArrayList<>(0);
    Call call = null;
    synchronized (this) {
      if (candidates != null) {
        long number = calls.merge(m, 1L, Long::sum);
        call =
            new Call(
                name,
                candidates.get(0).operation(),
                number,
                args,
                sentSinceCommit,
                Set.copyOf(topicsSinceCommit),
                random,
                this);
        for (FaultInjector.Rule r : candidates) {
          if (r.trigger().fires(call)) {
            fired.add(r.fault());
          }
        }
      }
    }
    // Each fault is recorded when it acts, so a fault that a failure before it pre-empted is not.
    for (Fault f : fired) {
      if (f.recorded() && f.kind() != Fault.Kind.FAIL_AFTER) {
        record(call, f);
      }
      if (f.kind() == Fault.Kind.FAIL_SEND) {
        return failedSend(args, f.sendError());
      }
      f.before(call);
    }
    if (tracked && m.equals("send")) {
      synchronized (this) {
        sentSinceCommit++;
        topicsSinceCommit.add(((ProducerRecord<?, ?>) args[0]).topic());
      }
    }
    Object result = forward(method, args);
    if (tracked
        && (m.equals("commitTransaction") || m.equals("abortTransaction") || m.equals("flush"))) {
      synchronized (this) {
        sentSinceCommit = 0;
        topicsSinceCommit.clear();
      }
    }
    for (Fault f : fired) {
      if (f.kind() == Fault.Kind.FAIL_AFTER) {
        record(call, f);
      }
      f.after(call);
    }
    return result;
  }

  private void record(Call call, Fault fault) {
    injector.record(new Injection(name, call.operation(), call.number(), fault.name()));
  }

  private Object forward(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * What the real producer does with an asynchronous send error: callback, then a failed future.
   */
  private static Object failedSend(Object[] args, Exception error) {
    ProducerRecord<?, ?> record = (ProducerRecord<?, ?>) args[0];
    if (args.length > 1 && args[1] instanceof Callback callback) {
      int partition = record.partition() == null ? -1 : record.partition();
      callback.onCompletion(
          new RecordMetadata(
              new TopicPartition(record.topic(), partition),
              -1,
              -1,
              -1L /* no timestamp */,
              -1,
              -1),
          error);
    }
    CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
    future.completeExceptionally(error);
    return future;
  }
}
