package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fences the transactional producers of stream threads that left the group with a transaction open
 * (design record 017): a thread killed with SIGKILL leaves its transaction open until the broker
 * times it out, and until then read_committed readers of every partition it wrote (outputs,
 * repartition topics, changelogs) stop at its first record, and the new owners of its tasks wait. A
 * producer started with the departed thread's transactional id bumps the id's epoch, which makes
 * the transaction coordinator abort the open transaction at once.
 *
 * <p>Called by a stream thread before it creates newly assigned tasks; thread-confined.
 */
final class DepartedProducers {
  private static final Logger LOG = LoggerFactory.getLogger(DepartedProducers.class);

  /** The admin calls' timeout: a slow answer only delays the fallback, the broker's timeout. */
  private static final int ADMIN_TIMEOUT_MS = 15_000;

  private static final Duration FENCER_CLOSE = Duration.ofSeconds(5);

  /** What {@link #decide} found: the ids to fence, or why it cannot tell (then none). */
  record Decision(List<String> fence, String declined) {
    Decision {
      fence = List.copyOf(fence);
    }
  }

  private final String thread;
  private final RuntimeSetup setup;
  private final ThreadClients clients;
  private final TaskMetrics metrics;
  private String lastDeclined;

  DepartedProducers(String thread, RuntimeSetup setup, ThreadClients clients, TaskMetrics metrics) {
    this.thread = thread;
    this.setup = setup;
    this.clients = clients;
    this.metrics = metrics;
  }

  /**
   * Decides which open transactions belong to threads that are no longer members of the group. Pure
   * and deterministic.
   *
   * <p>A transactional id is a candidate only when it has exactly Weir's form {@code
   * <applicationId>-<8 hex digit instance id>-<thread>}, so that an application whose id starts
   * with this one's is never touched, and when its instance is not this one (this instance's
   * threads fence their own ids when they start). It is fenced when no member's client id is its
   * thread's consumer's, {@code <transactional id>-consumer}. A member whose client id is not of
   * Weir's default form (a user's {@code client.id}, a tool in the group) makes the liveness of
   * every id unknowable: then nothing is fenced.
   *
   * @param applicationId the application id, also the group id
   * @param ownInstanceId this instance's id
   * @param openTransactionalIds the transactional ids with an ongoing transaction
   * @param memberClientIds the client ids of the group's members, read after the open transactions
   * @return the ids to fence in order, or none and the reason
   */
  static Decision decide(
      String applicationId,
      String ownInstanceId,
      Collection<String> openTransactionalIds,
      Collection<String> memberClientIds) {
    Pattern weirId = Pattern.compile(Pattern.quote(applicationId + "-") + "([0-9a-f]{8})-(\\d+)");
    Set<String> live = new HashSet<>();
    for (String clientId : memberClientIds) {
      String txn =
          clientId.endsWith("-consumer")
              ? clientId.substring(0, clientId.length() - "-consumer".length())
              : clientId;
      if (!weirId.matcher(txn).matches() || txn.equals(clientId)) {
        return new Decision(
            List.of(),
            "group member '"
                + clientId
                + "' has no client id of Weir's default form '"
                + applicationId
                + "-<instance>-<thread>-consumer', so it cannot be told which transactional ids"
                + " belong to live threads");
      }
      live.add(txn);
    }
    List<String> fence = new ArrayList<>();
    for (String txn : new TreeSet<>(openTransactionalIds)) {
      Matcher m = weirId.matcher(txn);
      if (m.matches() && !m.group(1).equals(ownInstanceId) && !live.contains(txn)) {
        fence.add(txn);
      }
    }
    return new Decision(fence, null);
  }

  /**
   * Fences every departed thread's open transaction of this application, see {@link #decide}. Never
   * throws but {@link InterruptException}: a failure leaves the transaction to the broker's
   * timeout, as without this step, and is logged.
   *
   * @return the number of transactional ids fenced
   */
  int fence() {
    if (!setup.exactlyOnce()) {
      return 0;
    }
    String app = setup.applicationId();
    try {
      Admin admin = clients.admin();
      // The open transactions first, the members second: a thread that joined in between and
      // began a transaction is then not among the open ones, so only a thread that left after
      // opening its transaction (dead, or a zombie the group expelled) can be fenced.
      Collection<TransactionListing> open =
          admin
              .listTransactions(
                  new ListTransactionsOptions()
                      .filterStates(List.of(TransactionState.ONGOING))
                      .timeoutMs(ADMIN_TIMEOUT_MS))
              .all()
              .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<String> ids = new ArrayList<>();
      for (TransactionListing t : open) {
        if (t.transactionalId().startsWith(app + "-")) {
          ids.add(t.transactionalId());
        }
      }
      if (ids.isEmpty()) {
        return 0;
      }
      Map<String, ConsumerGroupDescription> groups =
          admin
              .describeConsumerGroups(
                  List.of(app), new DescribeConsumerGroupsOptions().timeoutMs(ADMIN_TIMEOUT_MS))
              .all()
              .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<String> members = new ArrayList<>();
      for (MemberDescription m : groups.get(app).members()) {
        members.add(m.clientId());
      }
      Decision d = decide(app, setup.instanceId(), ids, members);
      if (d.declined() != null) {
        if (!d.declined().equals(lastDeclined)) {
          LOG.info(
              "{}: open transactions {} are left to the broker's transaction timeout: {}",
              thread,
              ids,
              d.declined());
          lastDeclined = d.declined();
        }
        return 0;
      }
      int fenced = 0;
      for (String id : d.fence()) {
        if (fenceOne(id, members)) {
          fenced++;
        }
      }
      return fenced;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      if (e instanceof InterruptException) {
        throw (InterruptException) e;
      }
      LOG.warn(
          "{}: could not look for open transactions of departed threads ({}); a departed"
              + " thread's transaction ends at the broker's transaction timeout",
          thread,
          e instanceof ExecutionException ? e.getCause() : e.toString());
      return 0;
    }
  }

  /** Starts and closes a producer with {@code id}: its initTransactions aborts the open one. */
  private boolean fenceOne(String id, List<String> members) {
    Map<String, Object> config = setup.producerConfig(clients.index());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, id + "-fencer");
    long start = System.nanoTime();
    Producer<byte[], byte[]> p = setup.clients().producer(config);
    try {
      p.initTransactions();
      metrics.fencedDepartedProducers.increment();
      LOG.warn(
          "{}: fenced transactional id {} in {} ms: it had a transaction open and its thread's"
              + " consumer ({}-consumer) is no longer a member of group {} (members {}); the"
              + " coordinator aborted that transaction instead of waiting for its timeout",
          thread,
          id,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          id,
          setup.applicationId(),
          members);
      return true;
    } catch (InterruptException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: fencing transactional id {} failed ({}); its transaction ends at the broker's"
              + " transaction timeout",
          thread,
          id,
          e.toString());
      return false;
    } finally {
      ThreadClients.closeQuietly(() -> p.close(FENCER_CLOSE), thread, "fencing producer " + id);
    }
  }
}
