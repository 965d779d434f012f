package dev.kafkaping.server;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries one ping record with backoff until it is answered or dead-lettered, or until it is no
 * longer ours to answer (the server stops or the partition moved). Anything a try throws counts as
 * a failed try.
 */
final class PingHandler implements RecordHandler {
  private static final Logger log = LoggerFactory.getLogger(PingHandler.class);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final Function<ConsumerRecord<byte[], byte[]>, Attempt> tryOnce;
  private final ServerStats stats;
  // With the broker gone every ping in flight fails at once: one line a second says so.
  private final Throttle failureLog = new Throttle(Duration.ofSeconds(1));

  PingHandler(Function<ConsumerRecord<byte[], byte[]>, Attempt> tryOnce, ServerStats stats) {
    this.tryOnce = tryOnce;
    this.stats = stats;
  }

  /** Answers the ping, and tells the stats how long its Pong machine ran and how it ended. */
  @Override
  public Handled handle(ConsumerRecord<byte[], byte[]> record, BooleanSupplier stillOurs) {
    long started = System.nanoTime();
    Handled handled = retryUntilHandled(record, stillOurs);
    switch (handled) {
      case Handled.Answered answered -> processed(started, Optional.empty());
      case Handled.DeadLettered deadLettered -> processed(started, Optional.of("dead_lettered"));
      case Handled.LeftUnanswered left -> processed(started, Optional.of("left_unanswered"));
      case Handled.Crashed crashed -> processed(started, Optional.of("crashed"));
      case Handled.Fatal fatal ->
          processed(started, Optional.of(fatal.error().getClass().getName()));
      case Handled.WaitingForRegistry waiting -> {} // not over: handled again once it answers
    }
    return handled;
  }

  private void processed(long startedNanos, Optional<String> error) {
    stats.processed(Duration.ofNanos(System.nanoTime() - startedNanos), error);
  }

  private Handled retryUntilHandled(
      ConsumerRecord<byte[], byte[]> record, BooleanSupplier stillOurs) {
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1 && !stillOurs.getAsBoolean()) {
        // Moved away or stopping during the backoff: the next owner answers it.
        log.debug("{} left unanswered after {} attempt(s)", PingRecords.position(record), attempt);
        return new Handled.LeftUnanswered("no longer ours");
      }
      Attempt result = tryOnceSafely(record);
      switch (result) {
        case Attempt.Done done -> {
          return done.handled();
        }
        case Attempt.Fatal fatal -> {
          return new Handled.Fatal(fatal.error());
        }
        case Attempt.WaitingForRegistry waiting -> {
          stats.failure();
          long alsoWaiting = failureLog.suppressedSinceLastLine();
          if (alsoWaiting >= 0) {
            log.warn(
                "{} waits for the schema registry: {} (and {} other ping(s) since the last such"
                    + " line); JSON pings go on meanwhile",
                PingRecords.position(record),
                waiting.reason(),
                alsoWaiting);
          }
          return new Handled.WaitingForRegistry(waiting.reason());
        }
        case Attempt.Failed failed -> {
          stats.failure();
          if (!stillOurs.getAsBoolean()) {
            // Counted in the stop or revoke line; one line per ping would flood a large backlog.
            log.debug(
                "{} left unanswered and uncommitted after {} attempt(s) ({}): the next owner of"
                    + " the partition answers it",
                PingRecords.position(record),
                attempt,
                failed.reason());
            return new Handled.LeftUnanswered(failed.reason());
          }
          long alsoFailed = failureLog.suppressedSinceLastLine();
          if (alsoFailed >= 0) {
            log.warn(
                "{} attempt {} failed: {}; retrying in {} ms (and {} other failed attempt(s) since"
                    + " the last such line)",
                PingRecords.position(record),
                attempt,
                failed.reason(),
                backoff.toMillis(),
                alsoFailed);
          } else {
            log.debug(
                "{} attempt {} failed: {}; retrying in {} ms",
                PingRecords.position(record),
                attempt,
                failed.reason(),
                backoff.toMillis());
          }
        }
      }
      try {
        Thread.sleep(backoff); // retry backoff, not synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Handled.LeftUnanswered("interrupted");
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private Attempt tryOnceSafely(ConsumerRecord<byte[], byte[]> record) {
    try {
      return tryOnce.apply(record);
    } catch (RuntimeException e) {
      log.debug("attempt at {} threw", PingRecords.position(record), e);
      return new Attempt.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
