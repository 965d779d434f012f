package dev.kafkaping.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Kafka's {@link MockConsumer} with three behaviours of the real consumer it lacks: an empty poll
 * takes a moment instead of spinning, commits can be made to fail, and a pending {@code wakeup()}
 * makes {@code commitSync} throw, as {@code KafkaConsumer} does.
 */
final class TestConsumer extends MockConsumer<byte[], byte[]> {
  final AtomicInteger failNextCommits = new AtomicInteger();
  final AtomicInteger commitRequests = new AtomicInteger();

  /** The highest offset asked to be committed per partition, whether the commit failed or not. */
  final Map<TopicPartition, Long> requested = new ConcurrentHashMap<>();

  /** While set, commits fail as for a member that is joining a rebalance; a poll ends it. */
  final AtomicBoolean joiningUntilNextPoll = new AtomicBoolean();

  /** While set, every poll fails as with a broker that keeps refusing; counts the polls. */
  final AtomicBoolean pollsFail = new AtomicBoolean();

  final AtomicInteger polls = new AtomicInteger();

  /** Records handed out by poll, all polls together. */
  final AtomicInteger polledRecords = new AtomicInteger();

  // MockConsumer reports offset 0 for every partition it no longer owns; this is what was taken.
  private final Map<TopicPartition, Long> taken = new ConcurrentHashMap<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private volatile Runnable afterCommit = () -> {};

  TestConsumer() {
    super("earliest");
  }

  /** Runs on the poll thread after each successful commit. */
  void afterCommit(Runnable hook) {
    afterCommit = hook;
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    polls.incrementAndGet();
    if (pollsFail.get()) {
      throw new KafkaException("injected poll failure");
    }
    wakeupPending.set(false);
    joiningUntilNextPoll.set(false);
    ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
    polledRecords.addAndGet(records.count());
    if (records.isEmpty() && !timeout.isZero()) {
      LockSupport.parkNanos(Duration.ofMillis(2).toNanos()); // a real poll waits for data
    }
    return records;
  }

  @Override
  public synchronized void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
    request(offsets);
    if (failNextCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      callback.onComplete(offsets, new RetriableCommitFailedException("injected failure"));
      return;
    }
    super.commitAsync(offsets, callback);
    take(offsets);
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    request(offsets);
    if (wakeupPending.getAndSet(false)) {
      throw new WakeupException();
    }
    if (joiningUntilNextPoll.get()) {
      throw new RebalanceInProgressException("joining");
    }
    if (failNextCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new RetriableCommitFailedException("injected failure");
    }
    super.commitAsync(offsets, (committed, error) -> {});
    take(offsets);
  }

  @Override
  public synchronized void wakeup() {
    wakeupPending.set(true);
    super.wakeup();
  }

  private void request(Map<TopicPartition, OffsetAndMetadata> offsets) {
    commitRequests.incrementAndGet();
    offsets.forEach((partition, offset) -> requested.merge(partition, offset.offset(), Math::max));
  }

  private void take(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> taken.put(partition, offset.offset()));
    afterCommit.run();
  }

  /** The offset the "broker" took for this partition, or -1. */
  long committedOffset(TopicPartition partition) {
    return taken.getOrDefault(partition, -1L);
  }
}
