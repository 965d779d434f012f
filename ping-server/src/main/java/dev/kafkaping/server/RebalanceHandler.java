package dev.kafkaping.server;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands partitions over cleanly: on revocation it lets running pings of those partitions finish
 * (for a bounded time), commits what they answered and forgets them; partitions this server keeps
 * are not touched. Called on the poll thread, inside {@code poll()} or {@code close()}.
 */
final class RebalanceHandler implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(RebalanceHandler.class);
  static final Duration REVOKE_GRACE = Duration.ofSeconds(3);
  static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(2);

  private final Ownership ownership;
  private final Dispatcher dispatcher;
  private final InFlightOffsets offsets;
  private final OffsetCommitter committer;
  private boolean finalCommitDone;

  RebalanceHandler(
      Ownership ownership,
      Dispatcher dispatcher,
      InFlightOffsets offsets,
      OffsetCommitter committer) {
    this.ownership = ownership;
    this.dispatcher = dispatcher;
    this.offsets = offsets;
    this.committer = committer;
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    ownership.take(partitions);
    if (!partitions.isEmpty()) {
      log.info("partitions assigned: {}", sorted(partitions));
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    ownership.release(partitions);
    dispatcher.dropBacklog(partitions);
    // Once the stopping loop has made its final commit (then close() revokes everything), there is
    // nothing left to wait for or commit; before that, even a stopping server hands over cleanly:
    // its pings still running are answered, so the next owner must not answer them again.
    if (!finalCommitDone) {
      awaitRunning(partitions);
      committer.commitNow(partitions, COMMIT_TIMEOUT);
    }
    int unanswered = partitions.stream().mapToInt(offsets::unfinished).sum();
    offsets.forget(partitions);
    if (unanswered > 0) {
      log.info(
          "partitions revoked: {} ({} pings left for the next owner)",
          sorted(partitions),
          unanswered);
    } else {
      log.info("partitions revoked: {}", sorted(partitions));
    }
  }

  /** The stopping poll loop has committed what it could; revocations from here on are close(). */
  void finalCommitDone() {
    finalCommitDone = true;
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    ownership.release(partitions);
    dispatcher.dropBacklog(partitions);
    offsets.forget(partitions);
    log.warn(
        "partitions lost (their uncommitted pings go to the next owner): {}", sorted(partitions));
  }

  /** Gives pings already being answered a moment, so the next owner does not answer them again. */
  private void awaitRunning(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + REVOKE_GRACE.toNanos();
    try {
      while (dispatcher.running(partitions) > 0 && System.nanoTime() < deadline) {
        dispatcher.awaitCompletion(Duration.ofNanos(deadline - System.nanoTime()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> sorted(Collection<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::toString).sorted().toList();
  }
}
