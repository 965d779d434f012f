package dev.kafkaping.server;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what {@link InFlightOffsets} allows to the group coordinator and reports back what the
 * broker accepted; says once when commits start failing and once when they work again.
 */
final class OffsetCommitter {
  private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);
  // One commit request per poll would cost the broker as much as the pings themselves; answered
  // pings committed a little later are only re-answered (never lost) after a crash.
  static final Duration INTERVAL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final InFlightOffsets offsets;
  private final String bootstrapServers;
  private final ServerStats stats;
  private long nextAsync = System.nanoTime();
  private int failuresInARow;
  private boolean rebalancing;
  private long failingSince;

  OffsetCommitter(
      Consumer<byte[], byte[]> consumer,
      InFlightOffsets offsets,
      String bootstrapServers,
      ServerStats stats) {
    this.consumer = consumer;
    this.offsets = offsets;
    this.bootstrapServers = bootstrapServers;
    this.stats = stats;
  }

  /** Commits asynchronously what advanced, at most once per {@link #INTERVAL}. */
  void commitIfDue() {
    if (System.nanoTime() < nextAsync) {
      return;
    }
    nextAsync = System.nanoTime() + INTERVAL.toNanos();
    Map<TopicPartition, OffsetAndMetadata> commits = offsets.startAsyncCommit();
    if (commits.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    try {
      consumer.commitAsync(
          commits,
          (committed, error) -> {
            stats.committed(since(started), error == null);
            if (error == null) {
              succeeded(commits);
            } else {
              failed(commits, error);
            }
          });
    } catch (KafkaException e) {
      stats.committed(since(started), false);
      failed(commits, e);
    }
  }

  /** True when the latest commit failed because this member is joining a rebalance. */
  boolean rebalancing() {
    return rebalancing;
  }

  /** True while the latest commit attempt failed. */
  boolean failing() {
    return failuresInARow > 0;
  }

  /** Commits these partitions' answered offsets now; false when the broker did not take them. */
  boolean commitNow(Collection<TopicPartition> partitions, Duration timeout) {
    return commitNow(offsets.unconfirmed(partitions), timeout);
  }

  boolean commitNow(Duration timeout) {
    return commitNow(offsets.unconfirmed(), timeout);
  }

  private boolean commitNow(Map<TopicPartition, OffsetAndMetadata> commits, Duration timeout) {
    if (commits.isEmpty()) {
      return true;
    }
    long started = System.nanoTime();
    try {
      consumer.commitSync(commits, timeout);
      stats.committed(since(started), true);
      succeeded(commits);
      log.debug("committed {}", commits);
      return true;
    } catch (KafkaException e) {
      stats.committed(since(started), false);
      failed(commits, e);
      return false;
    }
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private void succeeded(Map<TopicPartition, OffsetAndMetadata> commits) {
    rebalancing = false;
    offsets.commitSucceeded(commits);
    if (failuresInARow > 0) {
      log.info(
          "commits work again after {} failed attempt(s) in {} ms",
          failuresInARow,
          (System.nanoTime() - failingSince) / 1_000_000);
      failuresInARow = 0;
    }
  }

  private void failed(Map<TopicPartition, OffsetAndMetadata> commits, Exception error) {
    offsets.commitFailed(commits);
    rebalancing = error instanceof RebalanceInProgressException;
    if (rebalancing) {
      // Normal while the group rebalances: the next commit after the join goes through.
      log.debug("commit of {} deferred: the group is rebalancing", commits);
      return;
    }
    if (failuresInARow++ == 0) {
      failingSince = System.nanoTime();
      log.warn(
          "cannot commit to the group coordinator via {} ({}): answered pings stay uncommitted,"
              + " retrying every {} ms",
          bootstrapServers,
          error.getMessage(),
          INTERVAL.toMillis());
    } else {
      log.debug("commit of {} failed again: {}", commits, error.getMessage());
    }
  }
}
