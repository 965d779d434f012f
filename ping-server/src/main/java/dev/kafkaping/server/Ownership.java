package dev.kafkaping.server;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions this server answers for, each with the epoch of its current ownership, and
 * whether it is stopping; written by the poll thread, read by answering threads to decide whether a
 * failed ping is still theirs to retry. A partition that moved away and came back has a new epoch,
 * so retries from its earlier ownership stop.
 */
final class Ownership {
  private final Map<TopicPartition, Long> epochs = new ConcurrentHashMap<>();
  private final AtomicLong lastEpoch = new AtomicLong();
  private volatile boolean stopping;

  /** The epoch of the current ownership of this partition, or -1 when it is not ours. */
  long epoch(TopicPartition partition) {
    return epochs.getOrDefault(partition, -1L);
  }

  boolean stillOurs(TopicPartition partition, long epoch) {
    return !stopping && Objects.equals(epochs.get(partition), epoch);
  }

  int owned() {
    return epochs.size();
  }

  boolean stopping() {
    return stopping;
  }

  void stop() {
    stopping = true;
  }

  void take(Collection<TopicPartition> partitions) {
    partitions.forEach(partition -> epochs.put(partition, lastEpoch.incrementAndGet()));
  }

  void release(Collection<TopicPartition> partitions) {
    partitions.forEach(epochs::remove);
  }
}
