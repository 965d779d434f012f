package dev.kafkaping.server;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaErrors;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches the consumer: polls pings into the {@link Dispatcher}, commits
 * through the {@link OffsetCommitter}, and on stop lets running pings finish and commits what they
 * answered. Stopping is a flag checked between polls, never {@code wakeup()}, so that no pending
 * wakeup can break the final commit.
 */
final class PollLoop {
  private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
  static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(2);
  private static final Duration STOP_POLL = Duration.ofMillis(50);
  private static final Duration STOP_MARGIN = Duration.ofMillis(500);
  // A live coordinator answers in milliseconds; a gone one should not hold the stop for long.
  private static final Duration FINAL_COMMIT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration FINAL_COMMIT_RETRY = Duration.ofMillis(300);

  /** What the loop needs to know of the server's configuration. */
  record Settings(
      String pingTopic, String group, int maxInFlight, Duration budget, String bootstrapServers) {}

  private final Consumer<byte[], byte[]> consumer;
  private final Settings settings;
  private final Ownership ownership = new Ownership();
  private final InFlightOffsets offsets = new InFlightOffsets();
  private final Dispatcher dispatcher;
  private final OffsetCommitter committer;
  private final RebalanceHandler rebalance;
  private Duration errorBackoff = Duration.ZERO;
  private volatile long lastPollNanos = System.nanoTime();

  PollLoop(
      Consumer<byte[], byte[]> consumer,
      RecordHandler handler,
      Settings settings,
      ServerStats stats) {
    this.consumer = consumer;
    this.settings = settings;
    this.dispatcher = new Dispatcher(handler, ownership, offsets, stats, settings.maxInFlight());
    this.committer = new OffsetCommitter(consumer, offsets, settings.bootstrapServers(), stats);
    this.rebalance = new RebalanceHandler(ownership, dispatcher, offsets, committer);
  }

  /** When a poll last returned without an error (System.nanoTime); safe from any thread. */
  long lastPollNanos() {
    return lastPollNanos;
  }

  /** How many partitions of the ping topic the server answers for now; safe from any thread. */
  int partitionsOwned() {
    return ownership.owned();
  }

  /**
   * Whether the loop stops: asked to, or ended by an error and finishing what runs; thread-safe.
   */
  boolean stopping() {
    return ownership.stopping();
  }

  /** Asks the loop to stop within one poll; safe from any thread. */
  void requestStop() {
    ownership.stop();
  }

  /** Runs until stopped; throws {@link UserError} when answering cannot go on at all. */
  void run() throws InterruptedException {
    consumer.subscribe(List.of(settings.pingTopic()), rebalance);
    try {
      while (!ownership.stopping()) {
        if (dispatcher.hasBacklog()) {
          // Everything that fits is running: wait for slots to free up (a batch of them, or the
          // poll timeout), not for more records, and poll without waiting only to stay in the
          // group.
          dispatcher.awaitFreeSlots(POLL_TIMEOUT);
          dispatcher.offer(poll(Duration.ZERO));
        } else {
          dispatcher.offer(poll(POLL_TIMEOUT));
        }
        dispatcher.collect();
        failOnFatalError();
        dispatcher.dispatch();
        pauseWhileBacklogged();
        committer.commitIfDue();
      }
    } finally {
      finishInFlight();
    }
  }

  private ConsumerRecords<byte[], byte[]> poll(Duration timeout) throws InterruptedException {
    try {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
      lastPollNanos = System.nanoTime();
      errorBackoff = Duration.ZERO;
      return records;
    } catch (KafkaException e) {
      if (KafkaErrors.isFatal(e)) {
        throw new UserError(KafkaErrors.describe(e, settings.bootstrapServers(), "READ"));
      }
      Optional<String> hopeless = PollFailures.nonRetriable(e, settings.group());
      if (hopeless.isPresent()) {
        // Retrying forever would leave a server that looks alive and answers nothing.
        throw new UserError(hopeless.get());
      }
      errorBackoff =
          errorBackoff.isZero()
              ? POLL_TIMEOUT
              : min(errorBackoff.multipliedBy(2), MAX_ERROR_BACKOFF);
      log.warn(
          "poll failed, retrying in {} ms: {}",
          errorBackoff.toMillis(),
          KafkaErrors.describe(e, settings.bootstrapServers()));
      // Back off without going deaf: answered pings are still recorded meanwhile.
      dispatcher.awaitCompletion(errorBackoff);
      return ConsumerRecords.empty();
    }
  }

  private void failOnFatalError() {
    dispatcher
        .fatalError()
        .ifPresent(
            error -> {
              throw new UserError(
                  KafkaErrors.describe(error, settings.bootstrapServers(), "WRITE"));
            });
  }

  /**
   * Records wait in the backlog rather than being fetched again, so consumption pauses while there
   * is one; partitions assigned meanwhile are paused too.
   */
  private void pauseWhileBacklogged() {
    if (dispatcher.hasBacklog()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  /**
   * On stop: start nothing new, let running machines end within their budget, then commit. The
   * consumer keeps polling (its partitions paused) meanwhile, so that a rebalance under way can
   * finish and the final commit is not refused for it.
   */
  private void finishInFlight() {
    ownership.stop();
    dispatcher.dropBacklog();
    // Every running machine started before the stop, so each ends within about one budget: its
    // pong was sent at its start, and the producer decides a send within its delivery timeout
    // (the budget). One still undecided after that is left uncommitted for the next owner.
    long deadline = System.nanoTime() + settings.budget().plus(STOP_MARGIN).toNanos();
    while (dispatcher.running() > 0 && System.nanoTime() < deadline) {
      awaitQuietly(min(STOP_POLL, Duration.ofNanos(deadline - System.nanoTime())));
    }
    dispatcher.collect();
    boolean committed = finalCommit();
    rebalance.finalCommitDone();
    int unanswered = offsets.unfinished();
    if (unanswered == 0 && committed) {
      log.info("stopping: every ping taken was answered and committed");
    } else {
      log.warn(
          "stopping: {} ping(s) unanswered{}; they stay uncommitted and the next owner of their"
              + " partition answers them",
          unanswered,
          committed ? "" : ", and the last answered offsets could not be committed");
    }
  }

  /** Commits what was answered, waiting out a rebalance of this member if one is under way. */
  private boolean finalCommit() {
    // When the coordinator has been unreachable for a while, a long final wait buys nothing.
    Duration timeout = committer.failing() ? FINAL_COMMIT_RETRY : FINAL_COMMIT_TIMEOUT;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      if (committer.commitNow(left)) {
        return true;
      }
      if (!committer.rebalancing() || System.nanoTime() >= deadline) {
        return false;
      }
      awaitQuietly(STOP_POLL);
    }
  }

  /** Records finished pings and keeps the group protocol going, without taking new pings. */
  private void awaitQuietly(Duration timeout) {
    try {
      dispatcher.awaitCompletion(timeout);
      consumer.pause(consumer.assignment());
      consumer.poll(Duration.ZERO); // records of newly assigned partitions are never started
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (KafkaException e) {
      log.debug("poll while stopping failed: {}", e.getMessage());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
