package dev.kafkaping.server;

import dev.kafkaping.cli.UserError;
import dev.kafkaping.kafka.KafkaErrors;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches the consumer: polls pings, hands each to its own virtual thread,
 * commits offsets only below the first unanswered ping, and pauses when too much is in flight.
 */
final class PollLoop implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final Duration REVOKE_GRACE = Duration.ofSeconds(3);
  // One commit request per poll would cost the broker as much as the pings themselves; answered
  // pings committed a little later are only re-answered (never lost) after a crash.
  private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final PingHandler handler;
  private final PongServerConfig config;
  private final ServerStats stats;
  private final OffsetTracker offsets = new OffsetTracker();
  // Written by answering threads, drained here: the only hand-off back into the poll thread.
  private final LinkedBlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
  // Read by answering threads so that a ping whose partition moved away stops retrying.
  private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private boolean paused;
  private long nextCommit = System.nanoTime();

  PollLoop(
      Consumer<byte[], byte[]> consumer,
      PingHandler handler,
      PongServerConfig config,
      ServerStats stats) {
    this.consumer = consumer;
    this.handler = handler;
    this.config = config;
    this.stats = stats;
  }

  /** Asks the loop to stop; safe from any thread. */
  void requestStop() {
    stopping = true;
    consumer.wakeup();
  }

  boolean isStopping() {
    return stopping;
  }

  boolean owns(TopicPartition partition) {
    return owned.contains(partition);
  }

  void run() {
    consumer.subscribe(List.of(config.pingTopic()), this);
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : poll()) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          offsets.started(partition, record.offset());
          stats.received();
          Thread.ofVirtual()
              .name("ping-" + record.partition() + "-" + record.offset())
              .start(() -> handler.handle(record, this));
        }
        Throwable fatal = handler.fatalError();
        if (fatal != null) {
          stopping = true;
          throw new UserError(
              KafkaErrors.describe(fatal, config.connection().bootstrapServers(), "WRITE"));
        }
        applyBackpressure();
        drainFinished();
        if (System.nanoTime() >= nextCommit) {
          commitAsync(offsets.takeCommittable());
          nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
        }
      }
    } catch (WakeupException e) {
      // requestStop() interrupted a poll
    } finally {
      finishInFlight();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Called by answering threads when a ping is answered (or dead-lettered). */
  void finished(ConsumerRecord<?, ?> record) {
    finished.add(
        new Finished(new TopicPartition(record.topic(), record.partition()), record.offset()));
  }

  private Iterable<ConsumerRecord<byte[], byte[]>> poll() {
    try {
      return consumer.poll(POLL_TIMEOUT);
    } catch (KafkaException e) {
      if (KafkaErrors.isFatal(e)) {
        stopping = true;
        throw new UserError(
            KafkaErrors.describe(e, config.connection().bootstrapServers(), "READ"));
      }
      if (e instanceof WakeupException) {
        throw e;
      }
      log.warn(
          "poll failed, retrying: {}",
          KafkaErrors.describe(e, config.connection().bootstrapServers()));
      return List.of();
    }
  }

  private void applyBackpressure() {
    int inFlight = stats.inFlight();
    if (inFlight >= config.maxInFlight()) {
      consumer.pause(consumer.assignment()); // also covers partitions assigned since the last pause
      if (!paused) {
        log.debug("{} pings in flight, pausing consumption", inFlight);
      }
      paused = true;
    } else if (paused && inFlight <= config.maxInFlight() / 2) {
      consumer.resume(consumer.paused());
      paused = false;
      log.debug("{} pings in flight, resuming consumption", inFlight);
    }
  }

  private void drainFinished() {
    Finished done;
    while ((done = finished.poll()) != null) {
      offsets.finished(done.partition(), done.offset());
    }
  }

  private void commitAsync(Map<TopicPartition, OffsetAndMetadata> commits) {
    if (commits.isEmpty()) {
      return;
    }
    consumer.commitAsync(
        commits,
        (committed, error) -> {
          if (error != null) {
            log.warn(
                "commit of {} failed (will be retried with later offsets): {}",
                committed,
                error.getMessage());
          }
        });
  }

  private void commitSync(Map<TopicPartition, OffsetAndMetadata> commits) {
    if (commits.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commits, Duration.ofSeconds(5));
      log.debug("committed {}", commits);
    } catch (KafkaException e) {
      log.warn("commit of {} failed: {}", commits, e.getMessage());
    }
  }

  /** On shutdown: let machines already running finish within their budget, then commit. */
  private void finishInFlight() {
    long deadline = System.nanoTime() + config.budget().plusSeconds(1).toNanos();
    while (stats.inFlight() > 0 && System.nanoTime() < deadline) {
      awaitFinished(deadline);
    }
    drainFinished();
    commitSync(offsets.takeCommittable());
    if (stats.inFlight() > 0) {
      log.warn("{} pings still unanswered at shutdown; they stay uncommitted", stats.inFlight());
    }
  }

  private void awaitFinished(long deadline) {
    try {
      long wait = Math.min(TimeUnit.MILLISECONDS.toNanos(50), deadline - System.nanoTime());
      Finished done = finished.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
      if (done != null) {
        offsets.finished(done.partition(), done.offset());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    owned.addAll(partitions);
    if (!partitions.isEmpty()) {
      log.info("partitions assigned: {}", sorted(partitions));
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    owned.removeAll(partitions);
    // Give pings already being answered a moment, so the next owner does not answer them again.
    long deadline = System.nanoTime() + REVOKE_GRACE.toNanos();
    while (partitions.stream().anyMatch(p -> offsets.pending(p) > 0)
        && System.nanoTime() < deadline) {
      awaitFinished(deadline);
    }
    drainFinished();
    Map<TopicPartition, OffsetAndMetadata> commits = offsets.takeCommittable();
    commits.keySet().retainAll(partitions);
    commitSync(commits);
    partitions.forEach(offsets::forget);
    log.info("partitions revoked: {}", sorted(partitions));
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    owned.removeAll(partitions);
    partitions.forEach(offsets::forget);
    log.warn(
        "partitions lost (their uncommitted pings go to the next owner): {}", sorted(partitions));
  }

  private static List<String> sorted(Collection<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::toString).sorted().toList();
  }

  private record Finished(TopicPartition partition, long offset) {}
}
